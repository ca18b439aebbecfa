// Go: a condition around a helper's site that only the helper's parameters decide is evaluated at each
// call. A helper that writes a block multiple as it is and pads anything else reaches its direct write
// only from the calls that pass a block multiple; the other calls get no finding from that write.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from '../../../src/core/analysis/analyze';
import { DEFAULT_SETTINGS } from '../../../src/core/types';
import { expectationsOf, findingKeys } from './rust-go-python-helpers';

const HEADER = `package dlog

import (
	"os"
	"syscall"
)

const blockSize = 4096

func open(name string) *os.File {
	f, _ := os.OpenFile(name, os.O_WRONLY|syscall.O_DIRECT, 0) // => o_direct_open os.OpenFile
	return f
}
`;

async function check(text: string): Promise<void> {
  const r = await analyzeText(text, 'go', DEFAULT_SETTINGS);
  assert.equal(r.analysisError, undefined);
  assert.deepEqual(findingKeys(r), expectationsOf(text).findings);
}

test('go: a helper\'s direct write under `len(data) == rounded` is not reached by a call with a short tail', async () => {
  await check(`${HEADER}
func writeBlocks(f *os.File, data []byte) error {
	if len(data) == 0 {
		return nil
	}
	rounded := ((len(data) + blockSize - 1) / blockSize) * blockSize
	if len(data) == rounded {
		_, err := f.Write(data) // => o_direct_io f.Write
		return err
	}
	return padAndWrite(f, data, rounded)
}

func padAndWrite(f *os.File, data []byte, n int) error { return nil }

func Close(name string) error {
	f := open(name)
	if err := writeBlocks(f, make([]byte, blockSize)); err != nil { // => | ZDIO001
		return err
	}
	return writeBlocks(f, []byte("END\\n"))
}
`);
});

test('go: the same helper called with a heap block that passes the condition is flagged at that call', async () => {
  await check(`${HEADER}
func writeBlocks(f *os.File, data []byte) error {
	rounded := ((len(data) + blockSize - 1) / blockSize) * blockSize
	if len(data) == rounded {
		_, err := f.Write(data) // => o_direct_io f.Write
		return err
	}
	return nil
}

func Header(name string) error {
	f := open(name)
	if err := writeBlocks(f, []byte("END\\n")); err != nil {
		return err
	}
	return writeBlocks(f, make([]byte, blockSize)) // => | ZDIO001
}
`);
});

test('go: an early return on a parameter test leaves the site to the calls that get past it', async () => {
  await check(`${HEADER}
func writeTail(f *os.File, data []byte) error {
	if len(data)%blockSize != 0 {
		return nil
	}
	_, err := f.Write(data) // => o_direct_io f.Write
	return err
}

func Flush(name string) {
	f := open(name)
	writeTail(f, []byte("short"))
	writeTail(f, make([]byte, blockSize)) // => | ZDIO001
}
`);
});

test('go: a condition the helper reassigns a parameter for, or that calls a function, decides nothing', async () => {
  await check(`${HEADER}
func pick(n int) bool { return n > 10 }

func writeSome(f *os.File, data []byte, n int) error {
	n = n * 2
	if n == 8 {
		_, err := f.Write(data[:n]) // => o_direct_io f.Write | ZDIO001
		return err
	}
	if pick(n) {
		_, err := f.Write(data) // => o_direct_io f.Write
		return err
	}
	return nil
}

func Run(name string) {
	f := open(name)
	// n == 8 holds for this call once n is doubled, and pick(n) is not evaluated: both writes are judged
	writeSome(f, make([]byte, 4096), 4) // => | ZDIO001 ZDIO002
}
`);
});
