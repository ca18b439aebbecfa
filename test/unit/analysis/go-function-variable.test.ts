// Go: an opener held in a variable of function type (`var openFile = directio.OpenFile`, swapped for
// os.OpenFile by a -nodirect flag) is called as `openFile(name, …)`. Such a call is a call of every
// function the variable is given (its initializer and its assignments): the descriptor is O_DIRECT when
// one of them opens it so, and stays buffered when none does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { analyzeText } from '../../../src/core/analysis/analyze';
import { WorkspaceIndex } from '../../../src/core/analysis/workspace';
import { DEFAULT_SETTINGS } from '../../../src/core/types';
import { expectationsOf, extractFacts, findingKeys, siteKeys } from './rust-go-python-helpers';

/** Sites and findings of a program with `// =>` expectations, compared with them. */
async function check(text: string): Promise<void> {
  const expected = expectationsOf(text);
  assert.deepEqual(siteKeys(await extractFacts('go', text)), expected.sites, 'sites');
  const r = await analyzeText(text, 'go', DEFAULT_SETTINGS, { fileName: 'main.go' });
  assert.equal(r.analysisError, undefined);
  assert.deepEqual(findingKeys(r), expected.findings, 'findings');
}

/** A program whose `probe` opens through `openFile`; `decl` declares it, `main` may swap it. */
const packageVar = (decl: string, swap: string, open = 'o_direct_open openFile', read = 'o_direct_io f.ReadAt | ZDIO001 ZDIO002'): string => `package main

import (
	"flag"
	"os"

	"github.com/ncw/directio"
)

var noDirect = flag.Bool("nodirect", false, "don't use O_DIRECT")

${decl}

func probe(name string) bool {
	f, err := openFile(name, os.O_RDONLY, 0)${open ? ` // => ${open}` : ''}
	if err != nil {
		return false
	}
	defer f.Close()
	head := make([]byte, 512)
	_, err = f.ReadAt(head, 0)${read ? ` // => ${read}` : ''}
	return err == nil
}

func main() {
	flag.Parse()
	if *noDirect {
		${swap}
	}
	block := directio.AlignedBlock(directio.BlockSize)
	_ = block
	probe(flag.Arg(0))
}
`;

test('go: a package var set to directio.OpenFile and swapped for os.OpenFile opens with O_DIRECT', async () => {
  await check(packageVar('var openFile = directio.OpenFile', 'openFile = os.OpenFile'));
  // the other way round: buffered by default, directio when a flag asks
  await check(packageVar('var openFile = os.OpenFile', 'openFile = directio.OpenFile'));
  // declared without a value (nil) and given one in main only
  await check(packageVar('var openFile func(string, int, os.FileMode) (*os.File, error)', 'openFile = directio.OpenFile'));
});

test('go: a package var only ever holding buffered openers stays buffered', async () => {
  await check(packageVar('var openFile = os.OpenFile', 'openFile = os.OpenFile', '', ''));
  await check(packageVar('var openFile func(string, int, os.FileMode) (*os.File, error)', 'openFile = os.OpenFile', '', ''));
});

test('go: a local of the same name shadows the package var', async () => {
  const text = packageVar('var openFile = directio.OpenFile', 'openFile = os.OpenFile', '', '')
    .replace('func probe(name string) bool {\n', 'func probe(name string) bool {\n\topenFile := os.OpenFile\n');
  await check(text);
});

test('go: os.OpenFile through a variable is judged by the flags of the call', async () => {
  const program = (flags: string, marks: { open: string; read: string }) => `package main

import (
	"os"
	"syscall"
)

var open = os.OpenFile

func main() {
	f, _ := open("data", ${flags}, 0)${marks.open}
	buf := make([]byte, 100)
	f.ReadAt(buf, 0)${marks.read}
}
`;
  await check(program('os.O_RDONLY|syscall.O_DIRECT', { open: ' // => o_direct_open open', read: ' // => o_direct_io f.ReadAt | ZDIO001 ZDIO002' }));
  await check(program('os.O_RDONLY|syscall.O_SYNC', { open: '', read: '' }));
});

test('go: a local var chosen between two openers', async () => {
  const program = (first: string, second: string, marks: { open: string; write: string }) => `package main

import (
	"os"

	"github.com/ncw/directio"
)

func write(name string, direct bool) error {
	open := ${first}
	if direct {
		open = ${second}
	}
	out, err := open(name, os.O_CREATE|os.O_WRONLY, 0644)${marks.open}
	if err != nil {
		return err
	}
	defer out.Close()
	_, err = out.Write([]byte("header\\n"))${marks.write}
	return err
}
`;
  await check(program('os.OpenFile', 'directio.OpenFile', { open: ' // => o_direct_open open', write: ' // => o_direct_io out.Write | ZDIO001 ZDIO002' }));
  await check(program('os.OpenFile', 'os.OpenFile', { open: '', write: '' }));
});

test('go: a var holding a function of the package calls that function', async () => {
  const program = (helper: string, marks: string) => `package main

import (
	"os"

	"github.com/ncw/directio"
)

func openDirect(name string) (*os.File, error) {
	return ${helper}
}

var openData = openDirect

func check(name string) {
	f, err := openData(name)
	if err != nil {
		return
	}
	head := make([]byte, 512)
	f.ReadAt(head, 0)${marks}
	f.Close()
}
`;
  await check(program('directio.OpenFile(name, os.O_RDONLY, 0) // => o_direct_open directio.OpenFile', ' // => o_direct_io f.ReadAt | ZDIO001 ZDIO002'));
  await check(program('os.OpenFile(name, os.O_RDONLY, 0)', ''));
});

test('go: a var that may also hold a function we cannot name keeps the open site, not the descriptor', async () => {
  const text = `package main

import (
	"os"

	"github.com/ncw/directio"
)

var openFile = directio.OpenFile

func main() {
	if len(os.Args) > 2 {
		openFile = func(name string, flag int, perm os.FileMode) (*os.File, error) { return nil, os.ErrInvalid }
	}
	f, _ := openFile("data", os.O_RDONLY, 0) // => o_direct_open openFile
	head := make([]byte, 512)
	f.ReadAt(head, 0)
}
`;
  await check(text);
});

test('go package: a var declared in one file and swapped in another opens with O_DIRECT where it is called', async () => {
  const probe = `package soak

import "os"

func probe(name string) bool {
	f, err := openFile(name, os.O_RDONLY, 0) // => o_direct_open openFile
	if err != nil {
		return false
	}
	defer f.Close()
	head := make([]byte, 512)
	_, err = f.ReadAt(head, 0) // => o_direct_io f.ReadAt | ZDIO001 ZDIO002
	return err == nil
}
`;
  const run = async (opener: string, text: string) => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'zfs-dio-gofnvar-'));
    try {
      writeFileSync(path.join(dir, 'opener.go'), opener);
      writeFileSync(path.join(dir, 'probe.go'), text);
      const index = new WorkspaceIndex({ roots: [dir], snapshot: true });
      const r = await analyzeText(text, 'go', DEFAULT_SETTINGS, { fileName: path.join(dir, 'probe.go'), workspace: index });
      assert.equal(r.analysisError, undefined);
      return { sites: r.sites.map((x) => `${x.range.start.line + 1} ${x.kind}`).sort(), findings: findingKeys(r) };
    } finally { rmSync(dir, { recursive: true, force: true }); }
  };
  const expected = expectationsOf(probe);
  const direct = await run(`package soak

import (
	"os"

	"github.com/ncw/directio"
)

var openFile = directio.OpenFile

func useBuffered() { openFile = os.OpenFile }
`, probe);
  assert.deepEqual(direct.sites, expected.sites.map((k) => k.split(' ').slice(0, 2).join(' ')));
  assert.deepEqual(direct.findings, expected.findings);
  // Declared in probe.go as os.OpenFile, set to directio.OpenFile by the other file's function.
  const declaredHere = probe.replace('import "os"\n', 'import "os"\n\nvar openFile = os.OpenFile\n');
  const swapped = await run(`package soak

import "github.com/ncw/directio"

func useDirect() { openFile = directio.OpenFile }
`, declaredHere);
  assert.deepEqual(swapped.sites, expectationsOf(declaredHere).sites.map((k) => k.split(' ').slice(0, 2).join(' ')));
  assert.deepEqual(swapped.findings, expectationsOf(declaredHere).findings);
  // Only buffered openers in either file: nothing.
  const buffered = await run(`package soak

import "os"

func useBuffered() { openFile = os.OpenFile }
`, declaredHere);
  assert.deepEqual(buffered, { sites: [], findings: [] });
});
