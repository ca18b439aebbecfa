// Rust: a buffer type of the crate with `fn as_ptr(&self) -> *const u8 { self.ptr }` and `fn len(&self) ->
// usize { self.len }` (libaio-style AlignedBuf): a helper's I/O of `buf.as_ptr()` and `buf.len()` is judged at
// each call with the length that call's value was built with, also through a constructor that returns
// `Some(buf)` of another constructor's `let buf = Self::new(data.len(), align)?;`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_SETTINGS } from '../../../src/core/types';
import { analyzeText } from '../../../src/core/analysis/analyze';
import { expectationsOf, extractFacts, findingKeys, siteKeys } from './rust-go-python-helpers';

const program = (methods: string, fromSlice: string, calls: string): string => `use std::ffi::CString;

pub struct AlignedBuf {
    ptr: *mut u8,
    len: usize,
}

impl AlignedBuf {
    pub fn new(len: usize, align: usize) -> Option<AlignedBuf> {
        let mut p: *mut libc::c_void = std::ptr::null_mut();
        if unsafe { libc::posix_memalign(&mut p, align, len) } != 0 {
            return None;
        }
        Some(AlignedBuf { ptr: p as *mut u8, len })
    }

    pub fn from_slice(data: &[u8], align: usize) -> Option<AlignedBuf> {
${fromSlice}
    }

${methods}
}

pub struct Dev {
    fd: i32,
}

impl Dev {
    pub fn open(path: &str) -> Dev {
        let cpath = CString::new(path).unwrap();
        let fd = unsafe { libc::open(cpath.as_ptr(), libc::O_RDWR | libc::O_DIRECT) }; // => o_direct_open libc::open
        Dev { fd }
    }

    pub fn put(&self, buf: &AlignedBuf, off: i64) -> isize {
        unsafe { libc::pwrite(self.fd, buf.as_ptr() as *const libc::c_void, buf.len(), off) } // => o_direct_io libc::pwrite
    }
}

fn main() {
    let dev = Dev::open("disk");
${calls}
}
`;

const getters = `    pub fn len(&self) -> usize {
        self.len
    }

    pub fn as_ptr(&self) -> *const u8 {
        self.ptr
    }`;

const copyingFromSlice = `        let buf = AlignedBuf::new(data.len(), align)?;
        unsafe { std::ptr::copy_nonoverlapping(data.as_ptr(), buf.ptr, data.len()) };
        Some(buf)`;

const calls = `    let header = AlignedBuf::from_slice(&[7u8; 4096], 4096).expect("alloc");
    dev.put(&header, 0); // => | ZDIO004
    let block = AlignedBuf::from_slice(&vec![0u8; 131072], 4096).expect("alloc");
    dev.put(&block, 131072);
    let sector = AlignedBuf::new(512, 4096).unwrap();
    dev.put(&sector, 0); // => | ZDIO002`;

async function check(text: string): Promise<void> {
  assert.deepEqual(siteKeys(await extractFacts('rust', text)), expectationsOf(text).sites);
  const r = await analyzeText(text, 'rust', DEFAULT_SETTINGS);
  assert.equal(r.analysisError, undefined);
  assert.deepEqual(findingKeys(r), expectationsOf(text).findings);
}

const silent = (text: string): string => text.replace(/ \/\/ => \| ZDIO00[24]/g, '');

test('rust: the len() of a pointer-and-length buffer type is each call\'s, through Some(…) of another constructor', async () => {
  await check(program(getters, copyingFromSlice, calls));
});

test('rust: the constructor literal may be the tail itself (Some(AlignedBuf { … }))', async () => {
  await check(program(getters, `        let buf = AlignedBuf::new(data.len(), align)?;
        Some(AlignedBuf { ptr: buf.ptr, len: data.len() })`, calls));
});

test('rust: no length getter, a changed value or another return leaves the length unknown', async () => {
  // No `len()` of the type: `buf.len()` is not read as the field (nothing known, nothing said).
  await check(silent(program(`    pub fn len(&self) -> usize {
        self.len.min(4096)
    }

    pub fn as_ptr(&self) -> *const u8 {
        self.ptr
    }`, copyingFromSlice, calls)));
  // The constructed value's method may change it before it is returned.
  await check(program(`${getters}

    pub fn shrink(&mut self, n: usize) {
        self.len = n;
    }`, `        let mut buf = AlignedBuf::new(data.len(), align)?;
        buf.shrink(data.len() / 2);
        Some(buf)`, calls.replace(' // => | ZDIO004', '')));
  // Another value may be returned on the way.
  await check(program(getters, `        if data.is_empty() {
            return AlignedBuf::new(4096, align);
        }
        let buf = AlignedBuf::new(data.len(), align)?;
        Some(buf)`, calls.replace(' // => | ZDIO004', '')));
});
