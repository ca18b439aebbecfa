// Rust: a function of the file that opens with the flags its caller passes (`fn openat(path, flags) ->
// io::Result<RawFd>` around `libc::openat`, `Err(…)` on failure) returns, at each call, a descriptor that is
// O_DIRECT when that call's flags are. A copy_file_range helper whose source descriptor parameter gets an
// O_DIRECT descriptor from one call and a buffered one from another is judged at each call.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from '../../../src/core/analysis/analyze';
import { DEFAULT_SETTINGS } from '../../../src/core/types';
import { expectationsOf, findingKeys } from './rust-go-python-helpers';

const program = (helpers: string, main: string): string => `use std::ffi::CString;
use std::io;

fn openat(path: &str, flags: i32) -> io::Result<i32> {
    let c = CString::new(path).unwrap();
    let fd = unsafe { libc::openat(libc::AT_FDCWD, c.as_ptr(), flags, 0o644) };
    if fd < 0 {
        Err(io::Error::last_os_error())
    } else {
        Ok(fd)
    }
}

${helpers}

fn main() -> io::Result<()> {
${main}
    Ok(())
}
`;

test('rust: a descriptor from an open helper is O_DIRECT at the calls that pass O_DIRECT, not at the others', async () => {
  const text = program('', `    let direct = openat("/tmp/a", libc::O_RDONLY | libc::O_DIRECT)?;
    let mut buf = vec![0u8; 512];
    let n = unsafe { libc::read(direct, buf.as_mut_ptr() as *mut libc::c_void, 512) }; // => o_direct_io libc::read | ZDIO001 ZDIO002
    let plain = openat("/tmp/b", libc::O_RDONLY)?;
    let m = unsafe { libc::read(plain, buf.as_mut_ptr() as *mut libc::c_void, 512) };
    println!("{} {}", n, m);`);
  const r = await analyzeText(text, 'rust', DEFAULT_SETTINGS);
  assert.equal(r.analysisError, undefined);
  assert.deepEqual(findingKeys(r), expectationsOf(text).findings);
});

test('rust: a copy helper called with an O_DIRECT source and a buffered one reports the O_DIRECT call', async () => {
  const text = program(`fn copy_all(fd_in: i32, fd_out: i32, len: usize) -> io::Result<isize> {
    let n = unsafe { libc::copy_file_range(fd_in, std::ptr::null_mut(), fd_out, std::ptr::null_mut(), len, 0) };
    if n < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(n as isize)
}`, `    let out = openat("/tmp/out", libc::O_WRONLY | libc::O_CREAT)?;
    let direct = openat("/tmp/a", libc::O_RDONLY | libc::O_DIRECT)?;
    copy_all(direct, out, 131072)?; // => | ZDIO011
    let plain = openat("/tmp/b", libc::O_RDONLY)?;
    copy_all(plain, out, 131072)?;`);
  const r = await analyzeText(text, 'rust', DEFAULT_SETTINGS);
  assert.equal(r.analysisError, undefined);
  assert.deepEqual(findingKeys(r), expectationsOf(text).findings);
});

test('rust: an open helper whose flags are not the parameter returns what its own flags say', async () => {
  const text = program(`fn open_plain(path: &str, _flags: i32) -> io::Result<i32> {
    let c = CString::new(path).unwrap();
    let fd = unsafe { libc::open(c.as_ptr(), libc::O_RDONLY) };
    if fd < 0 { Err(io::Error::last_os_error()) } else { Ok(fd) }
}`, `    let fd = open_plain("/tmp/a", libc::O_RDONLY | libc::O_DIRECT)?;
    let mut buf = vec![0u8; 512];
    let n = unsafe { libc::read(fd, buf.as_mut_ptr() as *mut libc::c_void, 512) };
    println!("{}", n);`);
  const r = await analyzeText(text, 'rust', DEFAULT_SETTINGS);
  assert.equal(r.analysisError, undefined);
  assert.deepEqual(findingKeys(r), expectationsOf(text).findings);
});
