import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from '../../../src/core/analysis/analyze';
import { goExtractor } from '../../../src/core/analysis/languages/go';
import { languageForFile } from '../../../src/core/analysis/languages/index';
import { DEFAULT_SETTINGS, checkFixture, extractFacts, factsAt, findingKeys, readFixture, siteKeys, valueOf } from './rust-go-python-helpers';
import { inFull } from '../../support/told';

test('go: O_DIRECT fixture gives exactly the annotated sites and ZDIO001-004 findings', async () => {
  const { text, facts, result } = await checkFixture('go', 'go/odirect.go');
  const odd = factsAt(text, facts, 'f.ReadAt(buf, 0); err != nil');
  assert.deepEqual([odd.buffer?.state, valueOf(odd.length), odd.constants.length?.name], ['unaligned', 100_000, 'OddLen']);
  assert.match(odd.buffer!.origin, /make\(\[\]byte, OddLen\)/);
  const aligned = factsAt(text, facts, 'f.ReadAt(block, 2*BlockSize)');
  assert.deepEqual([aligned.buffer?.state, aligned.buffer?.alignment, valueOf(aligned.length), valueOf(aligned.offset)], ['aligned', 4096, 131072, 262144]);
  const shifted = factsAt(text, facts, 'block[512:]');
  assert.equal(shifted.buffer?.offset, 512);
  const mmap = factsAt(text, facts, 'unix.Pread(fd, mem, 0)');
  assert.equal(mmap.buffer?.alignedToPage, true);
  const field = factsAt(text, facts, 's.file.ReadAt');
  assert.equal(field.fdODirect, true, 'the *os.File stored by NewStore is O_DIRECT in the method');
  const helper = factsAt(text, facts, 'f.ReadAt(buf, 0) // =>');
  // n = 4096 comes from the only caller: the value is judged at that call, so the helper's site leaves it to it
  assert.equal(valueOf(helper.length), 'unknown');
  assert.equal(helper.params?.length?.name, 'n');
  // The name buf appears elsewhere in the file (the check goes by name, erring on the side of no fix): growing
  // make([]byte, OddLen) could change that code, so no length fix.
  const z2 = result.findings.find((f) => f.ruleId === 'ZDIO002' && f.message.includes('100000'));
  assert.deepEqual(z2?.fixes.map((fx) => fx.title), ['Suppress ZDIO002 here (zfs-dio-ignore)']);
  assert.match(z2!.manualFix!, /buf is used elsewhere too/);
  // block[:1000] of a 128 KiB aligned block: the slice bound is rounded, the block already holds 4096 bytes.
  const bound = result.findings.find((f) => f.ruleId === 'ZDIO002' && f.message.includes('block[:1000]'));
  assert.deepEqual(bound?.fixes[0]?.edits.map((e) => e.newText), ['4096']);
});

test('go: copy_file_range fixture, including the openzfs#16958 reproducer', async () => {
  const { text, facts, result } = await checkFixture('go', 'go/copy_file_range.go');
  const repro = factsAt(text, facts, '&roff, int(dst.Fd()), &woff, 196608, 0)');
  assert.deepEqual([valueOf(repro.srcOffset), valueOf(repro.dstOffset), valueOf(repro.length)], [0, 262144, 196608]);
  const z10 = result.findings.find((f) => f.ruleId === 'ZDIO010' && f.range.start.line === repro.site.range.start.line);
  assert.match(z10!.message, /len 196608 is not a multiple of recordsize 131072/);
  const iotaSite = factsAt(text, facts, '&roff, dst, &woff, Record, 0); err != nil');
  assert.equal(valueOf(iotaSite.dstOffset), 1 << 20, 'iota constants (MiB) are evaluated');
  const nils = factsAt(text, facts, 'n, err := unix.CopyFileRange(src, nil, dst, nil, total, 0)');
  assert.deepEqual([valueOf(nils.srcOffset), valueOf(nils.dstOffset), nils.resultHandled], ['unknown', 'unknown', true]);
  const raw = factsAt(text, facts, 'unix.SYS_COPY_FILE_RANGE');
  assert.deepEqual([valueOf(raw.srcOffset), valueOf(raw.dstOffset), valueOf(raw.length)], [0, 262144, 196608]);
  assert.equal(factsAt(text, facts, 'int(src.Fd()), nil, dst, nil, Record').srcFdODirect, true);
});

test('go: FICLONE / FICLONERANGE fixture', async () => {
  const { text, facts } = await checkFixture('go', 'go/ficlone.go');
  const repro = facts.find((f) => f.site.callee === 'unix.IoctlFileCloneRange')!;
  assert.deepEqual([repro.ficloneVariant, valueOf(repro.srcOffset), valueOf(repro.dstOffset), valueOf(repro.length)], ['FICLONERANGE', 0, 262144, 196608]);
  const byVar = factsAt(text, facts, 'IoctlFileCloneRange(dst, &r)');
  assert.deepEqual([valueOf(byVar.srcOffset), valueOf(byVar.length)], [131072, 262144]);
  assert.equal(factsAt(text, facts, 'unix.FICLONE').ficloneVariant, 'FICLONE');
});

test('go: comments, strings, definitions and lookalikes are not sites', async () => {
  const text = readFixture('go/not_sites.go');
  assert.deepEqual(siteKeys(await extractFacts('go', text)), []);
  assert.deepEqual((await analyzeText(text, 'go', DEFAULT_SETTINGS)).findings, []);
});

test('go: branches and loops keep facts honest', async () => {
  const code = `package p
import ("os"; "syscall")
func f(direct bool, p string) {
	flags := os.O_RDONLY
	if direct {
		flags |= syscall.O_DIRECT
	}
	f, _ := os.OpenFile(p, flags, 0)
	buf := make([]byte, 4096)
	f.ReadAt(buf, 0)
	var off int64
	for i := 0; i < 4; i++ {
		f.ReadAt(buf, off)
		off += 100
	}
	n := 4096
	if direct { n = 10 }
	f.ReadAt(make([]byte, n), 0)
}`;
  const facts = await extractFacts('go', code);
  assert.ok(siteKeys(facts).includes('8 o_direct_open os.OpenFile'), 'flags that carry O_DIRECT on one path make an O_DIRECT open');
  assert.equal(valueOf(factsAt(code, facts, 'f.ReadAt(buf, off)').offset), 'unknown');
  assert.equal(valueOf(factsAt(code, facts, 'f.ReadAt(buf, 0)').offset), 0);
  // the descriptor is O_DIRECT only when direct is set, and then n is 10: the branches belong together
  assert.equal(valueOf(factsAt(code, facts, 'make([]byte, n)').length), 10);
});

test('go: deeply nested code neither overflows the stack nor loses the site', async () => {
  const depth = 3000;
  const code = `package p\nfunc f(a, b int) { _, _ = ${'('.repeat(depth)}unix.CopyFileRange(a, nil, b, nil, 196608, 0)${')'.repeat(depth)} }`;
  const facts = await extractFacts('go', code);
  assert.deepEqual(facts.map((f) => f.site.kind), ['copy_file_range']);
  const blocks = `package p\nfunc g(a int) { ${'if a > 0 { '.repeat(1500)} unix.CopyFileRange(a, nil, 1, nil, 4096, 0) ${'} '.repeat(1500)} }`;
  assert.equal((await extractFacts('go', blocks)).length, 1);
});

test('go: registry wiring, extensions and prefilter', () => {
  assert.equal(languageForFile('cmd/main.go'), 'go');
  for (const f of ['go/odirect.go', 'go/copy_file_range.go', 'go/ficlone.go']) assert.match(readFixture(f), goExtractor.prefilter);
  assert.doesNotMatch('package main\nfunc main() { println("hi") }', goExtractor.prefilter);
});

test('go: package variables, raw ioctl syscalls, dot imports and aliased imports', async () => {
  const code = `package p
import (
	sys "golang.org/x/sys/unix"
	"os"
)
var openFlags = os.O_RDONLY | sys.O_DIRECT
func f(path string, src, dst int) {
	fd, _ := sys.Open(path, openFlags, 0)
	buf := make([]byte, 512)
	sys.Pread(fd, buf, 0)
	sys.Syscall(sys.SYS_IOCTL, uintptr(dst), sys.FICLONE, uintptr(src))
}`;
  const facts = await extractFacts('go', code);
  assert.deepEqual(siteKeys(facts), ['10 o_direct_io sys.Pread', '11 ficlone sys.Syscall', '8 o_direct_open sys.Open']);
  assert.equal(valueOf(factsAt(code, facts, 'sys.Pread').length), 512);
  const dot = `package p
import . "golang.org/x/sys/unix"
func g(a, b int) { CopyFileRange(a, nil, b, nil, 196608, 0) }`;
  const dotFacts = await extractFacts('go', dot);
  assert.deepEqual(dotFacts.map((f) => [f.site.kind, valueOf(f.length), f.resultHandled]), [['copy_file_range', 196608, false]]);
});

test('Go: values passed to helper functions and methods are judged per call, through chains, and reported at the call', async () => {
  const { text, result } = await checkFixture('go', 'go/helpers.go');
  const line = (marker: string) => text.split('\n').findIndex((l) => l.includes(marker));
  const chain = result.findings.find((f) => f.range.start.line === line('writeBoth(fd, page[:4096], 1000)') && f.ruleId === 'ZDIO003');
  assert.match(inFull(chain!), /\(passed to writeBoth\(\) → writeAt\(\), reaches unix\.Pwrite\(\)\)$/);
  const method = result.findings.find((f) => f.range.start.line === line('l.Append(page[:4096], 100)'));
  assert.match(inFull(method!), /offset 100 .*\(passed to Log\.Append\(\), reaches unix\.Pwrite\(\)\)$/);
});

test('go: f.Write/f.Read at the file position: 0 after the open, moved by known lengths, set by Seek; unknown after a branch, a helper, SeekEnd', async () => {
  const text = `package p
import ("io"; "os"; "syscall"; "github.com/ncw/directio")
func a(path string, c bool) {
	f, _ := os.OpenFile(path, os.O_RDWR|os.O_TRUNC|syscall.O_DIRECT, 0)
	b := directio.AlignedBlock(8192)
	f.Write(b) // first
	f.Write(b) // second
	f.Seek(512, io.SeekStart)
	f.Read(b) // seeked
	f.Seek(4096, io.SeekCurrent)
	f.Read(b) // current
	if c { f.Write(b) }
	f.Read(b) // branch
	f.Seek(0, io.SeekStart)
	helper(f)
	f.Read(b) // helper
}
func e(path string) {
	f, _ := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|syscall.O_DIRECT, 0)
	b := directio.AlignedBlock(8192)
	f.Write(b) // append
	g, _ := os.OpenFile(path, os.O_RDWR|syscall.O_DIRECT, 0)
	g.Seek(0, io.SeekEnd)
	g.Write(b) // end
}
func helper(f *os.File) {}
`;
  const facts = await extractFacts('go', text);
  const at = (m: string) => valueOf(factsAt(text, facts, m).offset);
  assert.deepEqual([at('// first'), at('// second'), at('// seeked'), at('// current')], [0, 8192, 512, 512 + 8192 + 4096]);
  assert.deepEqual([at('// branch'), at('// helper'), at('// append'), at('// end')], ['absent', 'absent', 'absent', 'absent']);
});

test('Go: a helper\'s buffer parameter stays the callers\' past an `if err != nil { return err }`, so each call is judged', async () => {
  const text = `package p

import (
	"os"
	"syscall"
)

func WriteFile(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|syscall.O_DIRECT, 0o644)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = f.WriteAt(data, 0)
	return err
}

func scratch(n int) []byte { return make([]byte, n) }

func Marker(path string) error { return WriteFile(path, []byte("marker\\n")) }
func Unknown(path string, n int) error { return WriteFile(path, scratch(n)) }
`;
  const facts = await extractFacts('go', text);
  const site = factsAt(text, facts, 'f.WriteAt(data, 0)');
  assert.equal(site.params?.buffer?.name, 'data', 'the site asks its callers for the buffer');
  assert.equal(site.params?.length?.part, 'size');
  const result = await analyzeText(text, 'go', DEFAULT_SETTINGS, { fileName: 'p.go' });
  const line = text.split('\n').findIndex((l) => l.startsWith('func Marker')) + 1;
  // scratch(n) is make([]byte, n): a heap slice without a page guarantee, of a length not known
  const other = text.split('\n').findIndex((l) => l.startsWith('func Unknown')) + 1;
  assert.deepEqual(findingKeys(result), [`${line} ZDIO001`, `${line} ZDIO002`, `${other} ZDIO001`]);
});

test('Go: a make()d buffer entered at an offset computed from its own address is aligned by hand, so no ZDIO001', async () => {
  const text = `package p

import (
	"os"
	"syscall"
	"unsafe"
)

const align = 4096

func alignedBlock(size int) []byte {
	raw := make([]byte, size+align)
	shift := 0
	if rem := int(uintptr(unsafe.Pointer(&raw[0])) & (align - 1)); rem != 0 {
		shift = align - rem
	}
	return raw[shift : shift+size]
}

func Write(path string) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|syscall.O_DIRECT, 0o644)
	if err != nil {
		return err
	}
	defer f.Close()
	if _, err := f.WriteAt(alignedBlock(1<<20), 0); err != nil { // by hand
		return err
	}
	head := make([]byte, 1<<20)
	_, err = f.WriteAt(head[16:], 1<<20) // known offset
	return err
}
`;
  const facts = await extractFacts('go', text);
  assert.equal(factsAt(text, facts, '// known offset').buffer?.state, 'unaligned', 'a known offset into make([]byte) is still no page guarantee');
  const result = await analyzeText(text, 'go', DEFAULT_SETTINGS, { fileName: 'p.go' });
  const line = (m: string) => text.split('\n').findIndex((l) => l.includes(m)) + 1;
  assert.deepEqual(findingKeys(result), [`${line('// known offset')} ZDIO001`, `${line('// known offset')} ZDIO002`]);
  const handSite = result.sites.find((s) => s.range.start.line + 1 === line('// by hand'));
  assert.ok(handSite, 'the write of the hand-aligned block is a site');
});

test('Go: []byte of a string is as long as the string\'s bytes: escapes, UTF-8, raw strings and a constant of the file', async () => {
  const text = `package p

import (
	"os"
	"syscall"
)

const header = "XL2 1 "

func W(f *os.File) {
	f.WriteAt([]byte(header), 0) // const
	f.WriteAt([]byte("marker\\n"), 0) // escape
	f.WriteAt([]byte("h\\u00e9\\x00é"), 0) // utf8
	f.WriteAt([]byte(\`raw\\n\`), 0) // raw
}

func Open(path string) { f, _ := os.OpenFile(path, os.O_WRONLY|syscall.O_DIRECT, 0); W(f) }
`;
  const facts = await extractFacts('go', text);
  assert.deepEqual(['// const', '// escape', '// utf8', '// raw'].map((m) => valueOf(factsAt(text, facts, m).length)), [6, 7, 6, 5]);
});
