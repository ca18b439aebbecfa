// Rust: a helper that returns what the closure it is given returns (`fn retry<F: Fn() -> isize>(f: F) ->
// isize { loop { let n = f(); if … { return n; } } }`): at a call with a closure written there,
// `retry(|| unsafe { libc::open(…) })` is the descriptor the closure opens, so a struct built from it
// holds an O_DIRECT descriptor and its methods' I/O are sites. Each call keeps its own closure's value.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_SETTINGS } from '../../../src/core/types';
import { analyzeText } from '../../../src/core/analysis/analyze';
import { expectationsOf, extractFacts, findingKeys, siteKeys } from './rust-go-python-helpers';

const program = (retry: string, direct: boolean): string => `use std::ffi::CString;
use std::io;

pub struct Log {
    fd: i32,
}

${retry}

impl Log {
    pub fn open(path: &str) -> io::Result<Log> {
        let cpath = CString::new(path).unwrap();
        match retry(|| unsafe { libc::open(cpath.as_ptr(), libc::O_WRONLY | libc::O_CREAT | libc::O_DIRECT, 0o644) as isize }) { // => o_direct_open libc::open
            -1 => Err(io::Error::last_os_error()),
            fd => Ok(Log { fd: fd as i32 }),
        }
    }

    pub fn put(&self, data: &[u8], off: i64) -> isize {
        unsafe { libc::pwrite(self.fd, data.as_ptr() as *const libc::c_void, data.len(), off) } // => ${direct ? 'o_direct_io libc::pwrite | ZDIO002' : ''}
    }
}

fn main() {
    let log = Log::open("wal").unwrap();
    log.put(&[0u8; 512], 0);${direct ? ' // => | ZDIO001' : ''}
}
`;

async function check(text: string): Promise<void> {
  assert.deepEqual(siteKeys(await extractFacts('rust', text)), expectationsOf(text).sites);
  const r = await analyzeText(text, 'rust', DEFAULT_SETTINGS);
  assert.equal(r.analysisError, undefined);
  assert.deepEqual(findingKeys(r), expectationsOf(text).findings);
}

test('rust: the descriptor a retry(|| unsafe { libc::open(…) }) closure opens reaches the struct it is stored in', async () => {
  await check(program(`fn retry<F: Fn() -> isize>(f: F) -> isize {
    loop {
        let n = f();
        if n != -1 || io::Error::last_os_error().kind() != io::ErrorKind::Interrupted {
            return n;
        }
    }
}`, true));
});

test("rust: a helper that may return something else than the closure's result passes nothing on", async () => {
  // The loop's `break -1` is its value after three tries.
  await check(program(`fn retry<F: Fn() -> isize>(f: F) -> isize {
    let mut tries = 0;
    loop {
        let n = f();
        if n != -1 {
            return n;
        }
        tries += 1;
        if tries == 3 {
            break -1;
        }
    }
}`, false));
  // A labelled break from an inner loop ends the outer one too.
  await check(program(`fn retry<F: Fn() -> isize>(f: F) -> isize {
    'tries: loop {
        for _ in 0..3 {
            let n = f();
            if n != -1 {
                return n;
            }
        }
        if io::Error::last_os_error().kind() != io::ErrorKind::Interrupted {
            break 'tries -1;
        }
    }
}`, false));
  // The closure is called, but the helper returns a number of its own.
  await check(program(`fn retry<F: Fn() -> isize>(f: F) -> isize {
    let n = f();
    if n < 0 { -1 } else { 0 }
}`, false));
});

test("rust: each call of the helper has its own closure's value", async () => {
  const text = `use std::ffi::CString;

struct Pair {
    direct: i32,
    plain: i32,
}

fn retry<F: Fn() -> isize>(f: F) -> isize {
    loop {
        let n = f();
        if n != -1 {
            return n;
        }
    }
}

fn open_pair(path: &CString) -> Pair {
    let direct = retry(|| unsafe { libc::open(path.as_ptr(), libc::O_RDWR | libc::O_DIRECT) as isize }); // => o_direct_open libc::open
    let plain = retry(|| unsafe { libc::open(path.as_ptr(), libc::O_RDWR) as isize });
    Pair { direct: direct as i32, plain: plain as i32 }
}

fn main() {
    let p = open_pair(&CString::new("data").unwrap());
    let buf = [0u8; 100];
    unsafe { libc::pwrite(p.plain, buf.as_ptr() as *const libc::c_void, buf.len(), 0) };
    unsafe { libc::pwrite(p.direct, buf.as_ptr() as *const libc::c_void, buf.len(), 0) }; // => o_direct_io libc::pwrite | ZDIO001 ZDIO002
}
`;
  await check(text);
});
