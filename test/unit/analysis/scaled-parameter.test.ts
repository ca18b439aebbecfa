// Rust, Go and Python: a helper that turns its sector or block number into a byte offset
// (`sector * SECTOR_SIZE`, `block << 12`) passes each caller's number on, scaled: the offset is judged
// per call and a misaligned one is reported on the call's argument.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from '../../../src/core/analysis/analyze';
import { DEFAULT_SETTINGS } from '../../../src/core/types';
import { expectationsOf, findingKeys } from './rust-go-python-helpers';

async function check(text: string, language: 'rust' | 'go' | 'python'): Promise<void> {
  const r = await analyzeText(text, language, DEFAULT_SETTINGS);
  assert.equal(r.analysisError, undefined);
  assert.deepEqual(findingKeys(r), expectationsOf(text).findings);
}

test('rust: sector * SECTOR_SIZE in a method is judged per caller', async () => {
  await check(`use std::fs::{File, OpenOptions};
use std::os::unix::fs::{FileExt, OpenOptionsExt};

const SECTOR_SIZE: u64 = 512;

#[repr(C, align(4096))]
pub struct Block([u8; 131072]);

pub struct Disk { file: File }

impl Disk {
    pub fn put(&self, sector: u64, data: &Block) -> std::io::Result<()> {
        let offset = sector * SECTOR_SIZE;
        self.file.write_all_at(&data.0, offset)
    }
}

fn format(disk: &Disk, block: &Block) -> std::io::Result<()> {
    disk.put(1, block)?; // => | ZDIO003
    disk.put(512, block)?; // =>
    Ok(())
}

fn main() {
    let file = OpenOptions::new().write(true).custom_flags(libc::O_DIRECT).open("d").unwrap();
    let disk = Disk { file };
    let block = Block([0u8; 131072]);
    format(&disk, &block).unwrap();
}
`, 'rust');
});

test('go: sector*512 and block<<12 in helpers are judged per caller', async () => {
  await check(`package main

import (
	"os"
	"syscall"
)

func writeBlock(f *os.File, buf []byte, block int64) error {
	_, err := f.WriteAt(buf, block<<12)
	return err
}

func writeSector(f *os.File, buf []byte, sector int64) error {
	_, err := f.WriteAt(buf, sector*512)
	return err
}

func main() {
	f, _ := os.OpenFile("d", os.O_WRONLY|syscall.O_DIRECT, 0)
	var buf []byte
	writeBlock(f, buf, 33) // =>
	writeSector(f, buf, 32) // =>
	writeSector(f, buf, 33) // => | ZDIO003
}
`, 'go');
});

test('python: lba * 512 in a helper is judged per call', async () => {
  await check(`import mmap
import os

SECTOR = 512

def write_lba(fd, buf, lba):
    os.pwrite(fd, buf, lba * SECTOR)

def main():
    fd = os.open("d", os.O_WRONLY | os.O_DIRECT)
    buf = mmap.mmap(-1, 131072)
    write_lba(fd, buf, 1) # => | ZDIO003
    write_lba(fd, buf, 256) # =>
`, 'python');
});
