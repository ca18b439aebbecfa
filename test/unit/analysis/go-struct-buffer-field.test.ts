// Go: a buffer parameter that a constructor stores in a struct field, when every caller hands it a
// buffer of the same alignment, is the struct's: the write of the field is judged where the field is
// passed to the I/O. Callers that disagree still have each call judged (the finding on the argument).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from '../../../src/core/analysis/analyze';
import { DEFAULT_SETTINGS } from '../../../src/core/types';
import { expectationsOf, findingKeys } from './rust-go-python-helpers';

const HEADER = `package blocks

import (
	"os"
	"syscall"
)

type header struct {
	back []byte
}

func newHeader(back []byte) *header {
	return &header{back: back}
}

func (h *header) Bytes() []byte { return h.back }

func writeAt(f *os.File, b []byte, off int64) error {
	_, err := f.WriteAt(b, off) // => o_direct_io f.WriteAt
	return err
}

func open(name string) *os.File {
	f, _ := os.OpenFile(name, os.O_RDWR|syscall.O_DIRECT, 0) // => o_direct_open os.OpenFile
	return f
}
`;

test('go: a heap buffer every constructor call stores is flagged where the field is written, not at the constructions', async () => {
  const text = `${HEADER}
func readHeader(f *os.File) []byte {
	b := make([]byte, 4096)
	if _, err := f.ReadAt(b, 0); err != nil { // => o_direct_io f.ReadAt | ZDIO001
		return nil
	}
	return b
}

func Save(name string) error {
	f := open(name)
	h := newHeader(make([]byte, 4096))
	h2 := newHeader(readHeader(f))
	if err := writeAt(f, h2.Bytes(), 4096); err != nil {
		return err
	}
	return writeAt(f, h.Bytes(), 0) // => | ZDIO001
}
`;
  const r = await analyzeText(text, 'go', DEFAULT_SETTINGS);
  assert.equal(r.analysisError, undefined);
  const found = findingKeys(r);
  const expected = expectationsOf(text).findings;
  // the first write passes the same field value: one finding per write call, both on the write calls
  const first = text.split('\n').findIndex((l) => l.includes('writeAt(f, h2.Bytes(), 4096)')) + 1;
  assert.deepEqual(found, [...expected, `${first} ZDIO001`].sort());
});

test('go: a constructor whose callers pass buffers of different alignment leaves the finding on each construction', async () => {
  const text = `${HEADER}
func Save(name string) error {
	f := open(name)
	page, _ := syscall.Mmap(-1, 0, 4096, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	a := newHeader(page)
	b := newHeader(make([]byte, 4096)) // => | ZDIO001
	if err := writeAt(f, a.Bytes(), 0); err != nil {
		return err
	}
	return writeAt(f, b.Bytes(), 0)
}
`;
  const r = await analyzeText(text, 'go', DEFAULT_SETTINGS);
  assert.equal(r.analysisError, undefined);
  assert.deepEqual(findingKeys(r).filter((k) => k.endsWith('ZDIO001')), expectationsOf(text).findings);
});
