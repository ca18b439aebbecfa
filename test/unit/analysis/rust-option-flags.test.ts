// Rust: open flags built by a function that returns them as an option (`Some(flags)` when any was asked
// for, `None` otherwise) and unwrapped where the file is opened: `custom_flags(make_oflags(&o).unwrap_or(0))`.
// `Some(e)` is `e`, `None` carries no flags, and `unwrap_or(d)` is the Some value or `d`. A retry that
// masks O_DIRECT off with fcntl_setfl before writing again writes buffered.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_SETTINGS } from '../../../src/core/types';
import { analyzeText } from '../../../src/core/analysis/analyze';
import { NONE, join, num } from '../../../src/core/analysis/languages/flow';
import { extractFacts, expectationsOf, findingKeys, siteKeys } from './rust-go-python-helpers';

async function check(text: string): Promise<void> {
  assert.deepEqual(siteKeys(await extractFacts('rust', text)), expectationsOf(text).sites);
  const r = await analyzeText(text, 'rust', DEFAULT_SETTINGS);
  assert.equal(r.analysisError, undefined);
  assert.deepEqual(findingKeys(r), expectationsOf(text).findings);
}

test('join: None adds nothing, and 0 on one path with open flags on the other is the flags without a sure bit', () => {
  const direct = { k: 'flags', oDirect: true } as const;
  const append = { k: 'flags', oDirect: false, append: true } as const;
  assert.deepEqual(join(NONE, direct), direct);
  assert.deepEqual(join(append, NONE), append);
  assert.deepEqual(join(num(0), direct), { k: 'flags', oDirect: 'maybe' });
  assert.deepEqual(join(append, num(0)), { k: 'flags', oDirect: false, append: 'maybe' });
  assert.deepEqual(join(num(0), { k: 'flags', oDirect: false }), { k: 'flags', oDirect: false });
  // Another number may hold O_DIRECT's bit on some architecture: nothing is known of the join.
  assert.deepEqual(join(num(0x4000), append), { k: 'unknown' });
  assert.deepEqual(join(num(0), num(4096)), { k: 'unknown' });
});

/** A dd-like program: `flagFunction` defines make_oflags(&Opts); `open` opens "out" with it into `file`. */
const program = (flagFunction: string, open: string, direct: boolean): string => `use std::fs::OpenOptions;
use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;

struct Opts { append: bool, direct: bool, dsync: bool }

${flagFunction}

fn run(o: &Opts) -> std::io::Result<()> {
    let mut opts = OpenOptions::new();
    opts.write(true).create(true);
${open}
    let mut file = opts.open("out")?;
    file.write_all(&vec![0u8; 4096])?; // => ${direct ? 'o_direct_io file.write_all | ZDIO001' : ''}
    Ok(())
}
`;

const OPTION_FLAGS = `fn make_oflags(o: &Opts) -> Option<libc::c_int> {
    let mut flag = 0;
    if o.append {
        flag |= libc::O_APPEND;
    }
    if o.direct {
        flag |= libc::O_DIRECT;
    }
    if o.dsync {
        flag |= libc::O_DSYNC;
    }
    if flag == 0 { None } else { Some(flag) }
}`;

test('rust: flags returned as Some(flags) or None and unwrapped with unwrap_or(0) make the open an O_DIRECT one', async () => {
  await check(program(OPTION_FLAGS, '    opts.custom_flags(make_oflags(o).unwrap_or(0)); // => o_direct_open opts.custom_flags', true));
});

test('rust: unwrap(), unwrap_or_default(), `if let Some(f)` and a match on the option give the same flags', async () => {
  await check(program(OPTION_FLAGS, '    opts.custom_flags(make_oflags(o).unwrap()); // => o_direct_open opts.custom_flags', true));
  await check(program(OPTION_FLAGS, '    opts.custom_flags(make_oflags(o).unwrap_or_default()); // => o_direct_open opts.custom_flags', true));
  await check(program(OPTION_FLAGS, `    if let Some(f) = make_oflags(o) {
        opts.custom_flags(f); // => o_direct_open opts.custom_flags
    }`, true));
  await check(program(OPTION_FLAGS, `    let flags = match make_oflags(o) {
        Some(f) => f,
        None => 0,
    };
    opts.custom_flags(flags); // => o_direct_open opts.custom_flags`, true));
});

test('rust: early `return None` and `return Some(…)` returns, and `?` on the option, carry the flags', async () => {
  const returns = `fn make_oflags(o: &Opts) -> Option<i32> {
    if !o.direct && !o.dsync {
        return None;
    }
    let mut flag = libc::O_DSYNC;
    if o.direct {
        flag |= libc::O_DIRECT;
    }
    return Some(flag);
}`;
  await check(program(returns, '    opts.custom_flags(make_oflags(o).unwrap_or(0)); // => o_direct_open opts.custom_flags', true));
  const tried = `fn make_oflags(o: &Opts) -> Option<i32> {
    if !o.direct { None } else { Some(libc::O_DIRECT) }
}

fn direct_flags(o: &Opts) -> Option<i32> {
    let f = make_oflags(o)?;
    Some(f | libc::O_DSYNC)
}`;
  await check(program(tried, '    opts.custom_flags(direct_flags(o).unwrap_or(0)); // => o_direct_open opts.custom_flags', true));
});

test('rust: a function that never puts O_DIRECT into its Some gives no site, and None alone leaves the default', async () => {
  const noDirect = `fn make_oflags(o: &Opts) -> Option<libc::c_int> {
    let mut flag = 0;
    if o.append {
        flag |= libc::O_APPEND;
    }
    if o.dsync {
        flag |= libc::O_DSYNC;
    }
    if flag == 0 { None } else { Some(flag) }
}`;
  await check(program(noDirect, '    opts.custom_flags(make_oflags(o).unwrap_or(0));', false));
  await check(program(noDirect, '    opts.custom_flags(make_oflags(o).unwrap_or_default());', false));
  await check(program(noDirect, `    if let Some(f) = make_oflags(o) {
        opts.custom_flags(f);
    }`, false));
  const onlyNone = `fn make_oflags(o: &Opts) -> Option<libc::c_int> {
    if o.direct { eprintln!("direct I/O is not supported here"); }
    None
}`;
  await check(program(onlyNone, '    opts.custom_flags(make_oflags(o).unwrap_or(0));', false));
  // The default is what the open gets when the function has nothing: O_DIRECT there is O_DIRECT.
  await check(program(onlyNone, '    opts.custom_flags(make_oflags(o).unwrap_or(libc::O_DIRECT)); // => o_direct_open opts.custom_flags', true));
});

test('rust: an Option<File> that is Some(O_DIRECT file) or None is that file where it is unwrapped', async () => {
  await check(`use std::fs::{File, OpenOptions};
use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;

fn mirror(direct: bool) -> std::io::Result<Option<File>> {
    if !direct {
        return Ok(None);
    }
    let f = OpenOptions::new().write(true).custom_flags(libc::O_DIRECT).open("mirror")?; // => o_direct_open custom_flags
    Ok(Some(f))
}

fn main() -> std::io::Result<()> {
    let copy = mirror(std::env::args().any(|a| a == "--direct"))?;
    if let Some(mut f) = copy {
        f.write_all(&vec![0u8; 4096])?; // => o_direct_io f.write_all | ZDIO001
    }
    Ok(())
}
`);
});

const retryProgram = (clear: string, expectRetry: boolean): string => `use std::fs::{File, OpenOptions};
use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use rustix::fs::{fcntl_getfl, fcntl_setfl, OFlags};

fn write_retrying(f: &mut File, buf: &[u8]) -> std::io::Result<usize> {
    match f.write(buf) { // => o_direct_io f.write
        Err(e) if e.raw_os_error() == Some(libc::EINVAL) => {
            let flags = fcntl_getfl(&*f)?;
            fcntl_setfl(&*f, ${clear})?;
            let n = f.write(buf); // => ${expectRetry ? 'o_direct_io f.write' : ''}
            fcntl_setfl(&*f, flags)?;
            n
        }
        other => other,
    }
}

fn main() -> std::io::Result<()> {
    let mut file = OpenOptions::new().write(true).custom_flags(libc::O_DIRECT).open("out")?; // => o_direct_open custom_flags
    let mut buf = vec![0u8; 4096];
    write_retrying(&mut file, &mut buf[..])?;
    Ok(())
}
`;

/**
 * The sites as annotated; the one finding is the Vec buffer, on the caller's argument (the helper's
 * parameter carries it to every write of the helper).
 */
async function checkRetry(text: string): Promise<void> {
  assert.deepEqual(siteKeys(await extractFacts('rust', text)), expectationsOf(text).sites);
  const r = await analyzeText(text, 'rust', DEFAULT_SETTINGS);
  assert.equal(r.analysisError, undefined);
  assert.deepEqual([...new Set(findingKeys(r))], ['22 ZDIO001']);
}

test('rust: a retry after fcntl_setfl masks O_DIRECT off writes buffered', async () => {
  for (const clear of ['flags & !OFlags::DIRECT', 'flags.difference(OFlags::DIRECT)', 'flags - OFlags::DIRECT']) {
    await checkRetry(retryProgram(clear, false));
  }
});

test('rust: an fcntl_setfl that keeps O_DIRECT (or sets flags we cannot read) leaves the retry O_DIRECT', async () => {
  for (const keep of ['flags & !OFlags::APPEND', 'flags']) await checkRetry(retryProgram(keep, true));
});

const chunkedWrite = (before: string, slice: string): string => `use std::fs::{File, OpenOptions};
use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;

struct Dest { file: File }

impl Dest {
    fn put(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.file.write(buf) // => o_direct_io self.file.write
    }
}

fn main() -> std::io::Result<()> {
    let file = OpenOptions::new().write(true).custom_flags(libc::O_DIRECT).open("out")?; // => o_direct_open custom_flags
    let mut dest = Dest { file };
    let buf = vec![0u8; 65536];
    let n = buf.len();
${before}
    while done < n {
        done += dest.put(${slice})?;
    }
    Ok(())
}
`;

test('rust: a slice of a Vec from a counter that is 0 before the loop is the Vec itself on the first pass', async () => {
  const text = chunkedWrite('    let mut done = 0;', '&buf[done..n]');
  const r = await analyzeText(text, 'rust', DEFAULT_SETTINGS);
  assert.equal(r.analysisError, undefined);
  assert.deepEqual(siteKeys(await extractFacts('rust', text)), expectationsOf(text).sites);
  const calls = r.findings.filter((f) => f.range.start.line + 1 === 20);
  assert.deepEqual(calls.map((f) => f.ruleId), ['ZDIO001']);
  assert.match(String(calls[0]!.derived.origin), /from offset 0 on the loop's first pass/);
});

test('rust: a counter that starts at an offset computed at run time (aligning by hand) stays unknown', async () => {
  const text = chunkedWrite('    let mut done = (4096 - (buf.as_ptr() as usize) % 4096) % 4096;', '&buf[done..n]');
  const r = await analyzeText(text, 'rust', DEFAULT_SETTINGS);
  assert.equal(r.analysisError, undefined);
  assert.deepEqual(r.findings.map((f) => f.ruleId), []);
});

test('rust: after the loop the counter is where some pass left it: a slice from it is not the Vec itself', async () => {
  const text = chunkedWrite('    let mut done = 0;', '&buf[done..n]').replace('    Ok(())\n}', '    dest.put(&buf[done..])?;\n    Ok(())\n}');
  const r = await analyzeText(text, 'rust', DEFAULT_SETTINGS);
  assert.equal(r.analysisError, undefined);
  assert.ok(text.split('\n')[21]!.includes('dest.put(&buf[done..])'));
  assert.deepEqual(findingKeys(r), ['20 ZDIO001']);
});
