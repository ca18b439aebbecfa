// Rust: a buffer type whose method returns `from_raw_parts(self.data, self.size)` (or `&self.buf[..self.len]`)
// hands out a slice as long as its length field. A helper that writes such a slice of its parameter is
// judged at each call, with the length field of the value that call passes (built by `Type::new(n, …)`,
// possibly returned by another function that gives up with `return Err(…)` first).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from '../../../src/core/analysis/analyze';
import { DEFAULT_SETTINGS } from '../../../src/core/types';
import { expectationsOf, findingKeys } from './rust-go-python-helpers';

const engine = (bufferType: string, writeBody: string, calls: string): string => `use std::alloc::{alloc_zeroed, Layout};
use std::fs::{File, OpenOptions};
use std::io;
use std::os::unix::fs::{FileExt, OpenOptionsExt};

${bufferType}

pub struct Engine {
    file: File,
}

impl Engine {
    pub fn open(path: &str) -> io::Result<Engine> {
        let file = OpenOptions::new().write(true).custom_flags(libc::O_DIRECT).open(path)?; // => o_direct_open custom_flags
        Ok(Engine { file })
    }

    pub fn make(&self, n: usize) -> io::Result<Buffer> {
        if n == 0 {
            return Err(io::Error::new(io::ErrorKind::InvalidInput, "empty"));
        }
        let b = Buffer::new(n, 4096);
        self.file.read_exact_at(b.get_data(), 0)?; // => o_direct_io self.file.read_exact_at
        Ok(b)
    }

    pub fn put(&self, b: &Buffer) -> io::Result<()> {
${writeBody}
    }
}

fn main() -> io::Result<()> {
    let e = Engine::open("dev").unwrap();
${calls}
    Ok(())
}
`;

const rawParts = `pub struct Buffer {
    size: usize,
    data: *mut u8,
}

impl Buffer {
    pub fn new(size: usize, align: usize) -> Buffer {
        let data = unsafe { alloc_zeroed(Layout::from_size_align(size, align).unwrap()) };
        Buffer { size, data }
    }

    pub fn get_data(&self) -> &mut [u8] {
        unsafe { std::slice::from_raw_parts_mut(self.data, self.size) }
    }
}`;

const putData = '        self.file.write_all_at(b.get_data(), 0) // => o_direct_io self.file.write_all_at';

test('rust: a from_raw_parts slice of a parameter is as long as the length field of what each call passes', async () => {
  const text = engine(rawParts, putData, `    let small = Buffer::new(4096, 4096);
    e.put(&small)?; // => | ZDIO004
    let record = Buffer::new(131072, 4096);
    e.put(&record)?; // =>`);
  const r = await analyzeText(text, 'rust', DEFAULT_SETTINGS);
  assert.equal(r.analysisError, undefined);
  assert.deepEqual(findingKeys(r), expectationsOf(text).findings);
});

test('rust: a buffer returned by a function that may return Err first keeps the length its Ok path built', async () => {
  const text = engine(rawParts, putData, `    let sb = e.make(4096)?;
    e.put(&sb)?; // => | ZDIO004`);
  const r = await analyzeText(text, 'rust', DEFAULT_SETTINGS);
  assert.equal(r.analysisError, undefined);
  assert.deepEqual(findingKeys(r), expectationsOf(text).findings);
});

test('rust: a returned buffer whose length follows an argument its calls disagree on has no length at the call', async () => {
  const text = engine(rawParts, putData, `    let sb = e.make(4096)?;
    let big = e.make(131072)?;
    e.put(&sb)?; // =>
    e.put(&big)?; // =>`);
  const r = await analyzeText(text, 'rust', DEFAULT_SETTINGS);
  assert.equal(r.analysisError, undefined);
  assert.deepEqual(findingKeys(r), expectationsOf(text).findings);
});

test('rust: a slice `&self.buf[..self.len]` is as long as the length field', async () => {
  const text = engine(`pub struct Buffer {
    len: usize,
    buf: Vec<u8>,
}

impl Buffer {
    pub fn new(len: usize, _align: usize) -> Buffer {
        Buffer { len, buf: vec![0u8; 1 << 20] }
    }

    pub fn used(&self) -> &[u8] {
        &self.buf[..self.len]
    }
}`, '        self.file.write_all_at(b.used(), 0) // => o_direct_io self.file.write_all_at', `    let label = Buffer::new(512, 0);
    e.put(&label)?; // => | ZDIO001 ZDIO002`);
  const r = await analyzeText(text, 'rust', DEFAULT_SETTINGS);
  assert.equal(r.analysisError, undefined);
  assert.deepEqual(findingKeys(r), expectationsOf(text).findings);
});

test('rust: of two slice methods, a call is not judged by the length of the one the helper does not write', async () => {
  const text = engine(`pub struct Buffer {
    used: usize,
    size: usize,
    data: *mut u8,
}

impl Buffer {
    pub fn new(size: usize, align: usize) -> Buffer {
        let data = unsafe { alloc_zeroed(Layout::from_size_align(size, align).unwrap()) };
        Buffer { used: 512, size, data }
    }

    pub fn head(&self) -> &[u8] {
        unsafe { std::slice::from_raw_parts(self.data, self.used) }
    }

    pub fn whole(&self) -> &[u8] {
        unsafe { std::slice::from_raw_parts(self.data, self.size) }
    }
}`, '        self.file.write_all_at(b.whole(), 0) // => o_direct_io self.file.write_all_at', `    let record = Buffer::new(131072, 4096);
    e.put(&record)?; // =>`);
  const r = await analyzeText(text, 'rust', DEFAULT_SETTINGS);
  assert.equal(r.analysisError, undefined);
  assert.deepEqual(findingKeys(r), expectationsOf(text).findings);
});

test('rust: a slice method whose length is not a field of self gives no per-call length', async () => {
  const text = engine(`pub struct Buffer {
    size: usize,
    data: *mut u8,
}

impl Buffer {
    pub fn new(size: usize, align: usize) -> Buffer {
        let data = unsafe { alloc_zeroed(Layout::from_size_align(size, align).unwrap()) };
        Buffer { size, data }
    }

    pub fn get_data(&self) -> &mut [u8] {
        unsafe { std::slice::from_raw_parts_mut(self.data, self.size.max(131072)) }
    }
}`, putData, `    let small = Buffer::new(4096, 4096);
    e.put(&small)?; // =>`);
  const r = await analyzeText(text, 'rust', DEFAULT_SETTINGS);
  assert.equal(r.analysisError, undefined);
  assert.deepEqual(findingKeys(r), expectationsOf(text).findings);
});

const slicePair = (mutLen: string): string => `pub struct Buffer {
    size: usize,
    used: usize,
    data: *mut u8,
}

impl Buffer {
    pub fn new(size: usize, align: usize) -> Buffer {
        let data = unsafe { alloc_zeroed(Layout::from_size_align(size, align).unwrap()) };
        Buffer { size, used: 512, data }
    }

    pub fn as_slice(&self) -> &[u8] {
        unsafe { std::slice::from_raw_parts(self.data, self.size) }
    }

    pub fn as_mut_slice(&mut self) -> &mut [u8] {
        unsafe { std::slice::from_raw_parts_mut(self.data, self.${mutLen}) }
    }

    pub fn get_data(&self) -> &mut [u8] {
        unsafe { std::slice::from_raw_parts_mut(self.data, self.size) }
    }
}`;

test('rust: a type of the file that defines as_slice itself hands out its slice, and a pair over the same fields is one slice', async () => {
  const text = engine(slicePair('size'), '        self.file.write_all_at(b.as_slice(), 0) // => o_direct_io self.file.write_all_at', `    let mut small = Buffer::new(8192, 4096);
    small.as_mut_slice()[..4].copy_from_slice(b"SEG0");
    e.put(&small)?; // => | ZDIO004
    let record = Buffer::new(131072, 4096);
    e.put(&record)?; // =>`);
  const r = await analyzeText(text, 'rust', DEFAULT_SETTINGS);
  assert.equal(r.analysisError, undefined);
  assert.deepEqual(findingKeys(r), expectationsOf(text).findings);
});

test('rust: slice methods over different length fields give a call no length', async () => {
  const text = engine(slicePair('used'), '        self.file.write_all_at(b.as_slice(), 0) // => o_direct_io self.file.write_all_at', `    let small = Buffer::new(8192, 4096);
    e.put(&small)?; // =>`);
  const r = await analyzeText(text, 'rust', DEFAULT_SETTINGS);
  assert.equal(r.analysisError, undefined);
  assert.deepEqual(findingKeys(r), expectationsOf(text).findings);
});
