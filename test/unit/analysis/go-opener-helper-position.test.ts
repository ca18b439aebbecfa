// Go: an opener helper that ORs O_DIRECT into its caller's flags and returns the file hands back a
// descriptor that starts where the caller's own flags say: at 0 without O_APPEND, so a Write right after
// the call writes at offset 0; with O_APPEND, or after the helper moved it, the position is not known.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from '../../../src/core/analysis/analyze';
import { DEFAULT_SETTINGS } from '../../../src/core/types';
import { expectationsOf, findingKeys } from './rust-go-python-helpers';

const HEADER = `package store

import (
	"io"
	"os"
	"syscall"
)

func page() []byte {
	b, _ := syscall.Mmap(-1, 0, 4096, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	return b
}
`;

async function check(text: string) {
  const r = await analyzeText(text, 'go', DEFAULT_SETTINGS);
  assert.equal(r.analysisError, undefined);
  assert.deepEqual(findingKeys(r), expectationsOf(text).findings);
  return r;
}

test('go: a descriptor from an opener of the caller\'s flags starts at 0 for each call without O_APPEND', async () => {
  const text = `${HEADER}
func openDirect(name string, flag int, perm os.FileMode) (*os.File, error) {
	return os.OpenFile(name, syscall.O_DIRECT|flag, perm) // => o_direct_open os.OpenFile
}

func openChecked(name string, flag int) (*os.File, error) {
	f, err := os.OpenFile(name, flag|syscall.O_DIRECT, 0o644) // => o_direct_open os.OpenFile
	if err != nil {
		return nil, err
	}
	return f, nil
}

func Save(name string) error {
	f, err := openDirect(name, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = f.Write(page()) // => o_direct_io f.Write | ZDIO004
	return err
}

func Fill(name string) error {
	f, err := openChecked(name, os.O_WRONLY)
	if err != nil {
		return err
	}
	defer f.Close()
	if _, err := f.Write(page()); err != nil { // => o_direct_io f.Write | ZDIO004
		return err
	}
	_, err = f.Write(page()) // => o_direct_io f.Write | ZDIO004
	return err
}
`;
  const r = await check(text);
  const second = text.split('\n').findIndex((l) => l.includes('_, err = f.Write(page()) // => o_direct_io f.Write | ZDIO004') && !l.includes('if'));
  const messages = r.findings.filter((f) => f.range.start.line >= second - 1).map((f) => f.message);
  assert.ok(messages.some((m) => /offset 4096/.test(m)), messages.join('\n'));
});

test('go: O_APPEND from the caller or the helper, or a helper that moves the file, leaves the position unknown', async () => {
  await check(`${HEADER}
func openDirect(name string, flag int) (*os.File, error) {
	return os.OpenFile(name, syscall.O_DIRECT|flag, 0o644) // => o_direct_open os.OpenFile
}

func openLog(name string, flag int) (*os.File, error) {
	return os.OpenFile(name, syscall.O_DIRECT|os.O_APPEND|flag, 0o644) // => o_direct_open os.OpenFile
}

func openAtEnd(name string, flag int) (*os.File, error) {
	f, err := os.OpenFile(name, syscall.O_DIRECT|flag, 0o644) // => o_direct_open os.OpenFile
	if err != nil {
		return nil, err
	}
	if _, err := f.Seek(0, io.SeekEnd); err != nil {
		return nil, err
	}
	return f, nil
}

func Append(name string) error {
	f, err := openDirect(name, os.O_WRONLY|os.O_APPEND)
	if err != nil {
		return err
	}
	_, err = f.Write(page()) // => o_direct_io f.Write
	return err
}

func Log(name string) error {
	f, err := openLog(name, os.O_WRONLY)
	if err != nil {
		return err
	}
	_, err = f.Write(page()) // => o_direct_io f.Write
	return err
}

func Extend(name string) error {
	f, err := openAtEnd(name, os.O_WRONLY)
	if err != nil {
		return err
	}
	_, err = f.Write(page()) // => o_direct_io f.Write
	return err
}
`);
});
