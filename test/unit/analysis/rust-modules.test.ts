// Rust across the modules of a crate: constants and #[repr(align)] types that another module defines,
// reached through `use crate::…`, `super::…`, `self::…` and `mod` paths, with the real WorkspaceIndex.
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { analyzeText } from '../../../src/core/analysis/analyze';
import { WorkspaceIndex } from '../../../src/core/analysis/workspace';
import { declaredModules, referencedPaths, blankCommentsAndStrings, RUST_MODULE_FILES } from '../../../src/core/analysis/workspace/rust-modules';
import { DEFAULT_SETTINGS } from '../../../src/core/types';
import { findingKeys } from './rust-go-python-helpers';
import { analyzeIn, checkInProject, makeProject, type Project } from './workspace-helpers';

const CARGO = '[package]\nname = "store"\nversion = "0.1.0"\nedition = "2021"\n';

const CONSTS = `pub const OPEN_FLAGS: i32 = libc::O_DIRECT | libc::O_CLOEXEC;
pub const HEADER: usize = 512;
pub const PAGE: usize = 4096;
pub const LEN: usize = 512;
pub const FROM_CALL: i32 = flags_at_runtime();
`;

const BUF = `use crate::consts::PAGE;

#[repr(C, align(4096))]
pub struct Page(pub [u8; PAGE]);

impl Page {
    pub fn zeroed() -> Box<Self> { Box::new(Page([0; PAGE])) }
}
`;

const SEGMENT = `use std::fs::{File, OpenOptions};
use std::os::unix::fs::{FileExt, OpenOptionsExt};

use crate::buf::Page;
use crate::consts::{HEADER, OPEN_FLAGS};

pub fn read_header(path: &str) -> std::io::Result<()> {
    let file = OpenOptions::new().read(true).custom_flags(OPEN_FLAGS).open(path)?; // => o_direct_open custom_flags
    let mut page = Page::zeroed();
    file.read_exact_at(&mut page.0[..HEADER], 0)?; // => o_direct_io file.read_exact_at | ZDIO002
    file.read_exact_at(&mut page.0[..crate::consts::PAGE], 0)?; // => o_direct_io file.read_exact_at
    file.read_exact_at(&mut page.0[..crate::consts::LEN], 4096)?; // => o_direct_io file.read_exact_at | ZDIO002
    Ok(())
}
`;

// The crate root has a LEN of its own: `super::LEN` from the shadow module's inline module must not reach it.
const LIB = 'pub const LEN: usize = 512;\nmod buf;\nmod consts;\nmod segment;\nmod store;\nmod shadow;\nmod broken;\nmod cycle_a;\nmod cycle_b;\nmod runtime;\nmod io;\nmod user;\nmod own;\n';

/** A crate with modules in files, a module folder with mod.rs, and the traps of each negative case. */
function crate(): Project {
  return makeProject({
    'Cargo.toml': CARGO,
    'src/lib.rs': LIB,
    'src/consts.rs': CONSTS,
    'src/buf.rs': BUF,
    'src/segment.rs': SEGMENT,
    'src/store/mod.rs': 'mod io;\npub const BLOCK: usize = 1000;\n',
    'src/store/io.rs': `use std::os::unix::fs::FileExt;
use super::BLOCK;

pub fn write_block(file: &std::fs::File) {
    let fd = std::fs::OpenOptions::new().write(true).custom_flags(crate::consts::OPEN_FLAGS).open("x").unwrap(); // => o_direct_open custom_flags
    let block = crate::buf::Page::zeroed();
    fd.write_all_at(&block.0[..BLOCK], 0).unwrap(); // => o_direct_io fd.write_all_at | ZDIO002
    fd.write_all_at(&block.0[..super::super::consts::LEN], 0).unwrap(); // => o_direct_io fd.write_all_at | ZDIO002
}
`,
    // A constant of this file wins over the other module's of the same name; `super::` inside an
    // inline module is this file, not its parent.
    'src/shadow.rs': `use std::os::unix::fs::FileExt;
const LEN: usize = 4096;

pub fn f(file: &std::fs::File) {
    let fd = std::fs::OpenOptions::new().read(true).custom_flags(crate::consts::OPEN_FLAGS).open("x").unwrap(); // => o_direct_open custom_flags
    let page = crate::buf::Page::zeroed();
    fd.read_exact_at(&mut page.0[..LEN], 0).unwrap(); // => o_direct_io fd.read_exact_at
}

mod inner {
    use super::LEN;
    use std::os::unix::fs::FileExt;
    pub fn g() {
        let fd = std::fs::OpenOptions::new().read(true).custom_flags(crate::consts::OPEN_FLAGS).open("x").unwrap(); // => o_direct_open custom_flags
        let page = crate::buf::Page::zeroed();
        fd.read_exact_at(&mut page.0[..LEN], 0).unwrap(); // => o_direct_io fd.read_exact_at
        fd.read_exact_at(&mut page.0[..super::super::LEN], 0).unwrap(); // => o_direct_io fd.read_exact_at | ZDIO002
    }
}
`,
    // Paths that lead nowhere: a module with no file, a name the module does not define, another crate.
    'src/broken.rs': `use std::os::unix::fs::FileExt;
use crate::missing::SHORT;
use other_crate::consts::LEN as OTHER;

pub fn f() {
    let fd = std::fs::OpenOptions::new().read(true).custom_flags(crate::consts::OPEN_FLAGS).open("x").unwrap(); // => o_direct_open custom_flags
    let page = crate::buf::Page::zeroed();
    fd.read_exact_at(&mut page.0[..SHORT], 0).unwrap(); // => o_direct_io fd.read_exact_at
    fd.read_exact_at(&mut page.0[..crate::consts::NOT_THERE], 0).unwrap(); // => o_direct_io fd.read_exact_at
    fd.read_exact_at(&mut page.0[..OTHER], 0).unwrap(); // => o_direct_io fd.read_exact_at
    fd.read_exact_at(&mut page.0[..crate::store::nothing::LEN], 0).unwrap(); // => o_direct_io fd.read_exact_at
}
`,
    // Constants defined by each other across two modules: unknown, and no endless lookup.
    'src/cycle_a.rs': `use std::os::unix::fs::FileExt;
pub const A: usize = crate::cycle_b::B;

pub fn f() {
    let fd = std::fs::OpenOptions::new().read(true).custom_flags(crate::consts::OPEN_FLAGS).open("x").unwrap(); // => o_direct_open custom_flags
    let page = crate::buf::Page::zeroed();
    fd.read_exact_at(&mut page.0[..A], 0).unwrap(); // => o_direct_io fd.read_exact_at
}
`,
    'src/cycle_b.rs': 'pub const B: usize = crate::cycle_a::A + 1;\n',
    // Functions whose return values other modules use: an O_DIRECT file, an aligned page, a heap vector.
    'src/io.rs': `use std::fs::{File, OpenOptions};
use std::os::unix::fs::OpenOptionsExt;

pub fn open_direct(path: &str) -> std::io::Result<File> {
    OpenOptions::new().read(true).custom_flags(libc::O_DIRECT).open(path)
}

pub fn open_plain(path: &str) -> std::io::Result<File> {
    OpenOptions::new().read(true).open(path)
}

pub fn page() -> Box<crate::buf::Page> {
    crate::buf::Page::zeroed()
}

pub fn heap() -> Vec<u8> {
    vec![0u8; 4096]
}
`,
    'src/user.rs': `use std::os::unix::fs::FileExt;
use crate::io::{open_direct, page};

pub fn f() -> std::io::Result<()> {
    let file = open_direct("x")?;
    let mut p = page();
    file.read_exact_at(&mut p.0[..512], 0)?; // => o_direct_io file.read_exact_at | ZDIO002
    file.read_exact_at(&mut p.0, 0)?; // => o_direct_io file.read_exact_at
    let mut h = crate::io::heap();
    file.read_exact_at(&mut h, 0)?; // => o_direct_io file.read_exact_at | ZDIO001
    let plain = crate::io::open_plain("y")?;
    plain.read_exact_at(&mut h[..100], 1)?;
    let unknown = crate::io::not_there("z")?;
    unknown.read_exact_at(&mut h[..100], 1)?;
    Ok(())
}
`,
    // A path into the file's own module is the file's.
    'src/own.rs': `use std::os::unix::fs::FileExt;
const LEN: usize = 512;

pub fn f() {
    let fd = std::fs::OpenOptions::new().read(true).custom_flags(crate::consts::OPEN_FLAGS).open("x").unwrap(); // => o_direct_open custom_flags
    let page = crate::buf::Page::zeroed();
    fd.read_exact_at(&mut page.0[..crate::own::LEN], 0).unwrap(); // => o_direct_io fd.read_exact_at | ZDIO002
}
`,
    // A flag whose value only a call knows is not O_DIRECT.
    'src/runtime.rs': `use std::os::unix::fs::FileExt;
use crate::consts::FROM_CALL;

pub fn f() {
    let fd = std::fs::OpenOptions::new().read(true).custom_flags(FROM_CALL).open("x").unwrap();
    let mut buf = vec![0u8; 100];
    fd.read_exact_at(&mut buf, 0).unwrap();
}
`,
  });
}

describe('Rust: names of the crate\'s other modules', () => {
  const project = crate();
  after(() => project.remove());
  const read = (rel: string): string => require('node:fs').readFileSync(path.join(project.dir, rel), 'utf8') as string;

  it('reads constants and aligned types through use crate::…, crate:: paths and super::', async () => {
    await checkInProject(project, 'src/segment.rs', 'rust', SEGMENT);
    await checkInProject(project, 'src/store/io.rs', 'rust', read('src/store/io.rs'));
  });

  it('knows nothing of the other modules without the index', async () => {
    const alone = await analyzeText(SEGMENT, 'rust', DEFAULT_SETTINGS, { fileName: path.join(project.dir, 'src/segment.rs') });
    assert.deepEqual(alone.sites.filter((s) => s.kind === 'o_direct_open'), []);
    assert.deepEqual(findingKeys(alone), []);
  });

  it('lets a constant of the file shadow the other module\'s, and resolves super:: in an inline module to the file', async () => {
    await checkInProject(project, 'src/shadow.rs', 'rust', read('src/shadow.rs'));
  });

  it('keeps paths that do not resolve unknown', async () => {
    await checkInProject(project, 'src/broken.rs', 'rust', read('src/broken.rs'));
  });

  it('reads what functions of other modules return: an O_DIRECT file, an aligned page, a heap buffer', async () => {
    await checkInProject(project, 'src/user.rs', 'rust', read('src/user.rs'));
  });

  it('reads a path into the file\'s own module as the file\'s', async () => {
    await checkInProject(project, 'src/own.rs', 'rust', read('src/own.rs'));
  });

  it('follows a change of another module between two analyses with one index', async () => {
    const index = new WorkspaceIndex({ roots: [project.dir] });
    const rel = 'src/segment.rs';
    const keys = async () => findingKeys(await analyzeIn(project, rel, 'rust', SEGMENT, index));
    assert.deepEqual(await keys(), ['10 ZDIO002', '12 ZDIO002']);
    project.write('src/consts.rs', CONSTS.replace('HEADER: usize = 512', 'HEADER: usize = 4096'));
    index.filesChanged([path.join(project.dir, 'src/consts.rs')]);
    assert.deepEqual(await keys(), ['12 ZDIO002']);
    project.write('src/consts.rs', CONSTS);
    index.filesChanged([path.join(project.dir, 'src/consts.rs')]);
    assert.deepEqual(await keys(), ['10 ZDIO002', '12 ZDIO002']);
  });

  it('keeps constants defined through a cycle of modules unknown', async () => {
    await checkInProject(project, 'src/cycle_a.rs', 'rust', read('src/cycle_a.rs'));
  });

  it('keeps a constant computed at run time unknown', async () => {
    const result = await analyzeIn(project, 'src/runtime.rs', 'rust', read('src/runtime.rs'));
    assert.deepEqual(result.sites, []);
    assert.deepEqual(result.findings, []);
  });

  it('builds a context by the contract: files read, a key that follows their texts, mentionsSites', () => {
    const index = new WorkspaceIndex({ roots: [project.dir] });
    const file = path.join(project.dir, 'src/segment.rs');
    const ctx = index.contextFor(file, 'rust', SEGMENT)!;
    assert.deepEqual([...ctx.files].sort(), [path.join(project.dir, 'src/buf.rs'), path.join(project.dir, 'src/consts.rs')]);
    assert.equal(ctx.mentionsSites, true);
    assert.equal(index.contextFor(file, 'rust', SEGMENT)!.key, ctx.key);
    project.write('src/consts.rs', CONSTS.replace('512', '1024'));
    index.filesChanged([path.join(project.dir, 'src/consts.rs')]);
    const changed = index.contextFor(file, 'rust', SEGMENT)!;
    assert.notEqual(changed.key, ctx.key);
    project.write('src/consts.rs', CONSTS);
    index.filesChanged([path.join(project.dir, 'src/consts.rs')]);
    assert.equal(index.contextFor(file, 'rust', SEGMENT)!.key, ctx.key);
    // The shadow module reads only consts.rs and buf.rs: no site text in buf.rs alone.
    const bufOnly = index.contextFor(path.join(project.dir, 'src/segment.rs'), 'rust', 'use crate::buf::Page;\n')!;
    assert.deepEqual(bufOnly.files, [path.join(project.dir, 'src/buf.rs'), path.join(project.dir, 'src/consts.rs')]);
    const noUse = index.contextFor(path.join(project.dir, 'src/segment.rs'), 'rust', 'fn f() {}\n');
    assert.equal(noUse, undefined);
  });

  it('finds no crate for a file outside src/ of a Cargo.toml folder that declares no modules', () => {
    const loose = makeProject({ 'tool/main.rs': 'use crate::consts::X;\nfn main() {}\n', 'tool/consts.rs': 'pub const X: usize = 1;\n' });
    try {
      const index = new WorkspaceIndex({ roots: [loose.dir] });
      assert.equal(index.contextFor(path.join(loose.dir, 'tool/main.rs'), 'rust', 'use crate::consts::X;\nfn main() {}\n'), undefined);
      // Declaring the module makes the file a crate root of its own.
      const ctx = index.contextFor(path.join(loose.dir, 'tool/main.rs'), 'rust', 'mod consts;\nuse crate::consts::X;\nfn main() {}\n');
      assert.deepEqual(ctx?.files, [path.join(loose.dir, 'tool/consts.rs')]);
      assert.equal(ctx?.mentionsSites, false);
    } finally {
      loose.remove();
    }
  });

  it('reads a bounded number of module files', () => {
    const many: Record<string, string> = { 'Cargo.toml': CARGO };
    const names = Array.from({ length: RUST_MODULE_FILES + 10 }, (_, i) => `m${i}`);
    many['src/lib.rs'] = names.map((n) => `mod ${n};`).join('\n') + '\n' + names.map((n) => `use crate::${n}::X;`).join('\n');
    for (const n of names) many[`src/${n}.rs`] = 'pub const X: usize = 1;\n';
    const big = makeProject(many);
    try {
      const index = new WorkspaceIndex({ roots: [big.dir] });
      const lib = path.join(big.dir, 'src/lib.rs');
      const ctx = index.contextFor(lib, 'rust', many['src/lib.rs']!)!;
      assert.equal(ctx.files.length, RUST_MODULE_FILES);
    } finally {
      big.remove();
    }
  });

  it('is found by dist/cli.js scan of the crate\'s folder, in the files that use the names only', () => {
    const cli = path.join(process.env.ZFS_DIO_ROOT!, 'dist/cli.js');
    const r = spawnSync(process.execPath, [cli, 'scan', project.dir, '--format', 'json', '--page-size', '4096', '--recordsize', '131072'], { encoding: 'utf8', timeout: 120_000 });
    const out = JSON.parse(r.stdout) as { findings: { file: string; line: number; ruleId: string }[] };
    const found = out.findings.map((f) => `${path.relative(project.dir, path.resolve(f.file))}:${f.line} ${f.ruleId}`).sort();
    assert.deepEqual(found, ['src/segment.rs:10 ZDIO002', 'src/segment.rs:12 ZDIO002', 'src/store/io.rs:7 ZDIO002', 'src/store/io.rs:8 ZDIO002', 'src/shadow.rs:17 ZDIO002', 'src/user.rs:7 ZDIO002', 'src/user.rs:10 ZDIO001', 'src/own.rs:7 ZDIO002'].sort());
  });
});

describe('Rust module text, read without a parse', () => {
  it('finds mod declarations and used paths, not those in comments or strings', () => {
    const text = blankCommentsAndStrings('mod a;\n// mod b;\nconst S: &str = "mod c; crate::x::Y";\n/* crate::z::W /* nested */ mod d; */\nmod e { }\nuse crate::{f::G, h::{self, I as J}, k::*};\nfn q() { super::r::S; }\n');
    assert.deepEqual([...declaredModules(text)], ['a']);
    const paths = referencedPaths(text).map((p) => p.join('::'));
    for (const p of ['crate::f::G', 'crate::h::self', 'crate::h::I', 'crate::k', 'super::r::S']) assert.ok(paths.includes(p), p);
    for (const p of paths) assert.doesNotMatch(p, /crate::x|crate::z/);
  });
});

