// A Go package is every file of its directory: constants, flag sets, ioctl wrappers and helpers of one
// file are used by the others. Each test writes a package into a temporary directory and analyses its
// files through the real WorkspaceIndex, as a scan or the editor does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { analyzeText } from '../../../src/core/analysis/analyze';
import { WorkspaceIndex } from '../../../src/core/analysis/workspace';
import { MAX_PACKAGE_FILES, MAX_PACKAGE_FILE_CHARS, packageClauseOf } from '../../../src/core/analysis/workspace/go-package';
import type { AnalysisResult } from '../../../src/core/types';
import { DEFAULT_SETTINGS } from './rust-go-python-helpers';
import { inFull } from '../../support/told';

const SETTINGS = { ...DEFAULT_SETTINGS, pageSize: 4096, recordsize: 131072 };

/** Writes the files into a fresh directory; returns its path. */
function writePackage(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'zfs-dio-gopkg-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return dir;
}

async function analyse(dir: string, name: string, index = new WorkspaceIndex({ roots: [dir], snapshot: true })): Promise<AnalysisResult> {
  const file = path.join(dir, name);
  return analyzeText(readFileSync(file, 'utf8'), 'go', SETTINGS, { fileName: file, workspace: index });
}

const line = (text: string, marker: string): number => text.split('\n').findIndex((l) => l.includes(marker)) + 1;
const sitesOf = (r: AnalysisResult): string[] => r.sites.map((s) => `${s.range.start.line + 1} ${s.kind}`);
const findingsOf = (r: AnalysisResult): string[] => r.findings.map((f) => `${f.range.start.line + 1} ${f.ruleId}`);

const FLAGS = `package blockdev

import (
	"os"
	"syscall"
)

const (
	directRead = os.O_RDONLY | syscall.O_DIRECT
	sectorSize = 512
	headerLBA  = 1
)
`;

const PROBE = `package blockdev

import "os"

func Probe(device string) error {
	f, err := os.OpenFile(device, directRead, 0) // open
	if err != nil {
		return err
	}
	defer f.Close()
	sector := make([]byte, sectorSize)
	_, err = f.ReadAt(sector, headerLBA*sectorSize) // read
	return err
}
`;

test('Go package: a flag constant and sizes in another file make this file\'s open and read O_DIRECT, with their values', async () => {
  const dir = writePackage({ 'flags.go': FLAGS, 'probe.go': PROBE });
  try {
    const r = await analyse(dir, 'probe.go');
    assert.deepEqual(sitesOf(r), [`${line(PROBE, '// open')} o_direct_open`, `${line(PROBE, '// read')} o_direct_io`]);
    assert.deepEqual(findingsOf(r), ['ZDIO001', 'ZDIO002', 'ZDIO003'].map((id) => `${line(PROBE, '// read')} ${id}`));
    assert.deepEqual(r.workspaceFiles, [path.join(dir, 'flags.go')]);
    // The constants' definitions lie in flags.go: no fix of this file may edit them at their places there.
    for (const f of r.findings) for (const fix of f.fixes) for (const e of fix.edits) assert.equal(e.range.start.line + 1, line(PROBE, '// read'), `${f.ruleId}: ${fix.title}`);
    // flags.go itself has no site: its constants are used elsewhere.
    const flags = await analyse(dir, 'flags.go');
    assert.deepEqual(sitesOf(flags), []);
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test('Go package: the context names the other files, says they mention sites, and changes with them', () => {
  const dir = writePackage({ 'flags.go': FLAGS, 'probe.go': PROBE, 'other.go': 'package elsewhere\n\nconst sectorSize = 4096\n' });
  try {
    const index = new WorkspaceIndex({ roots: [dir] });
    const probe = path.join(dir, 'probe.go');
    const before = index.contextFor(probe, 'go', PROBE);
    assert.ok(before);
    assert.equal(before.mentionsSites, true, 'flags.go spells O_DIRECT, probe.go does not');
    assert.deepEqual(before.files, [path.join(dir, 'flags.go')], 'other.go is another package');
    assert.equal(index.contextFor(probe, 'go', PROBE)!.key, before.key);
    writeFileSync(path.join(dir, 'flags.go'), FLAGS.replace('512', '4096'));
    index.filesChanged([path.join(dir, 'flags.go')]);
    assert.notEqual(index.contextFor(probe, 'go', PROBE)!.key, before.key);
    // A package whose other files spell nothing the prefilter looks for does not make a file worth parsing.
    const quiet = index.contextFor(path.join(dir, 'other2.go'), 'go', 'package elsewhere\n');
    assert.equal(quiet?.mentionsSites, false);
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test('Go package: only files of the same package, no tests unless the file is one, no ignored or oversized files', async () => {
  const dir = writePackage({
    'probe.go': PROBE,
    'flags_other.go': FLAGS.replace('package blockdev', 'package blockdev_tools'),
    'flags_test.go': FLAGS,
    'gen.go': `//go:build ignore\n\n${FLAGS}`,
    'huge.go': `${FLAGS}\n// ${'x'.repeat(MAX_PACKAGE_FILE_CHARS)}\n`,
  });
  try {
    const r = await analyse(dir, 'probe.go');
    assert.deepEqual(sitesOf(r), [], 'no file of package blockdev that a build of probe.go includes defines directRead');
    assert.deepEqual(r.findings, []);
    // A test file is compiled with the package: it sees the package's files, and they see each other.
    writeFileSync(path.join(dir, 'probe_test.go'), PROBE.replace('func Probe', 'func probeForTest'));
    const t = await analyse(dir, 'probe_test.go');
    assert.equal(t.sites.length, 2, 'flags_test.go belongs to the test build');
    assert.equal(packageClauseOf('// Package x does things.\n/* and more */\npackage x // trailing\n'), 'x');
    assert.equal(packageClauseOf('//go:build ignore\n\npackage main\n'), undefined);
    assert.equal(packageClauseOf('//go:build linux\n\npackage main\n'), 'main');
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test('Go package: a local declaration shadows the package constant, and an unknown package value stays silent', async () => {
  const shadow = `package blockdev

import "os"

func Plain(device string) error {
	directRead := os.O_RDONLY
	f, err := os.OpenFile(device, directRead, 0) // open
	if err != nil {
		return err
	}
	_, err = f.ReadAt(make([]byte, 512), 0)
	return err
}
`;
  const unknown = `package blockdev

import "os"

var blockSize = detectBlockSize()

func detectBlockSize() int { return os.Getpagesize() }

func ReadBlock(device string) error {
	f, err := os.OpenFile(device, directRead, 0) // open
	if err != nil {
		return err
	}
	buf := make([]byte, blockSize)
	_, err = f.ReadAt(buf, int64(blockSize)) // read
	return err
}
`;
  const dir = writePackage({ 'flags.go': FLAGS, 'shadow.go': shadow, 'unknown.go': unknown });
  try {
    const s = await analyse(dir, 'shadow.go');
    assert.deepEqual(sitesOf(s), []);
    const u = await analyse(dir, 'unknown.go');
    assert.deepEqual(sitesOf(u), [`${line(unknown, '// open')} o_direct_open`, `${line(unknown, '// read')} o_direct_io`]);
    // The buffer is a heap slice (ZDIO001); its size and the offset are not known, so nothing is said of them.
    assert.deepEqual(findingsOf(u), [`${line(unknown, '// read')} ZDIO001`]);
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

const IOCTL = `package casync

import "syscall"

const fiCloneRange = 0x4020940d

type fileCloneRange struct {
	srcFd      int64
	srcOffset  uint64
	srcLength  uint64
	destOffset uint64
}

func ioctl(fd, req, arg uintptr) error {
	if _, _, errno := syscall.Syscall(syscall.SYS_IOCTL, fd, req, arg); errno != 0 {
		return errno
	}
	return nil
}
`;

const CLONE = `package casync

import (
	"os"
	"unsafe"
)

func CloneRange(dst, src *os.File, srcOffset, srcLength, dstOffset uint64) error {
	r := fileCloneRange{srcFd: int64(src.Fd()), srcOffset: srcOffset, srcLength: srcLength, destOffset: dstOffset}
	return ioctl(dst.Fd(), fiCloneRange, uintptr(unsafe.Pointer(&r))) // clone
}

func CloneHeader(dst, src *os.File) error {
	if err := CloneRange(dst, src, 0, 0, 0); err != nil { // whole
		return err
	}
	return CloneRange(dst, src, 0, 48, 0) // header
}
`;

test('Go package: an ioctl wrapper and its request constant in another file make the wrapper\'s call a clone site, judged per call', async () => {
  const dir = writePackage({ 'ioctl.go': IOCTL, 'clone.go': CLONE });
  try {
    const r = await analyse(dir, 'clone.go');
    assert.deepEqual(sitesOf(r), [`${line(CLONE, '// clone')} ficlone`]);
    assert.deepEqual(findingsOf(r), [`${line(CLONE, '// header')} ZDIO020`], 'a zero length clones to the end: only the 48-byte header is wrong');
    assert.match(inFull(r.findings[0]!), /src_length 48 .*\(passed to CloneRange\(\), reaches ioctl\(\)\)$/);
    // The wrapper's own raw ioctl has an open request: it is no site.
    const w = await analyse(dir, 'ioctl.go');
    assert.deepEqual(sitesOf(w), []);
    assert.deepEqual(w.findings, []);
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

const HELPER = `package store

import "golang.org/x/sys/unix"

func writeRecord(fd int, buf []byte, off int64) error {
	_, err := unix.Pwrite(fd, buf, off) // pwrite
	return err
}

func writeSmall(fd int) error {
	_, err := unix.Pwrite(fd, make([]byte, 100), 0) // small
	return err
}
`;

const MAIN = `package store

import "golang.org/x/sys/unix"

func Run(page []byte) error {
	fd, err := unix.Open("data", unix.O_RDWR|unix.O_DIRECT, 0o644) // open
	if err != nil {
		return err
	}
	if err := writeRecord(fd, page[:4096], 512); err != nil { // call
		return err
	}
	return writeSmall(fd) // small call
}
`;

test('Go package in a snapshot: the package built for one file of a folder serves the next, until a file of it changes', () => {
  const dir = writePackage({ 'probe.go': PROBE, 'quiet.go': 'package blockdev\n\nconst sectorSize = 4096\n' });
  try {
    const index = new WorkspaceIndex({ roots: [dir], snapshot: true });
    const probe = path.join(dir, 'probe.go');
    const quiet = path.join(dir, 'quiet.go');
    assert.equal(index.contextFor(probe, 'go', PROBE)?.mentionsSites, false);
    writeFileSync(path.join(dir, 'flags.go'), FLAGS);
    index.filesChanged([path.join(dir, 'flags.go')]);
    const after = index.contextFor(quiet, 'go', 'package blockdev\n\nconst sectorSize = 4096\n');
    assert.deepEqual(after?.files, [path.join(dir, 'flags.go'), probe]);
    assert.equal(after?.mentionsSites, true, 'flags.go spells O_DIRECT');
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test('Go package: a call of another file\'s helper is judged with its arguments, the finding at the argument here; the helper\'s own values are its file\'s', async () => {
  const dir = writePackage({ 'helper.go': HELPER, 'main.go': MAIN });
  try {
    const index = new WorkspaceIndex({ roots: [dir], snapshot: true });
    const r = await analyse(dir, 'main.go', index);
    assert.deepEqual(sitesOf(r), [`${line(MAIN, '// open')} o_direct_open`], 'the helper\'s writes are sites of helper.go');
    assert.deepEqual(findingsOf(r), [`${line(MAIN, '// call')} ZDIO003`]);
    const f = r.findings[0]!;
    assert.match(inFull(f), /\(passed to writeRecord\(\), reaches unix\.Pwrite\(\) in helper\.go\)$/);
    // The I/O in helper.go is a related place of that file, with that file's coordinates.
    assert.deepEqual(f.related?.map((x) => [x.file, x.range.start.line + 1, x.message]),
      [[path.join(dir, 'helper.go'), line(HELPER, '// pwrite'), 'unix.Pwrite() receives it here']]);
    // The site is shown at the call that leads to it: suppressions and the editor's site list speak of this file.
    assert.equal(f.site.range.start.line + 1, line(MAIN, '// call'));
    assert.equal(f.site.callee, 'unix.Pwrite');
    const quiet = MAIN.replace('\tif err := writeRecord(', '\t// zfs-dio-ignore ZDIO003\n\tif err := writeRecord(');
    writeFileSync(path.join(dir, 'quiet.go'), quiet);
    index.filesChanged([path.join(dir, 'quiet.go')]);
    const q = await analyse(dir, 'quiet.go', index);
    assert.deepEqual(q.findings, [], 'a suppression at the call silences what the call leads to');
    rmSync(path.join(dir, 'quiet.go'));
    index.filesChanged([path.join(dir, 'quiet.go')]);
    // helper.go reports its own: the O_DIRECT descriptor main.go passes makes writeSmall's 100-byte heap write wrong there.
    const h = await analyse(dir, 'helper.go', index);
    assert.deepEqual(sitesOf(h), [`${line(HELPER, '// pwrite')} o_direct_io`, `${line(HELPER, '// small')} o_direct_io`]);
    assert.deepEqual(findingsOf(h), ['ZDIO001', 'ZDIO002'].map((id) => `${line(HELPER, '// small')} ${id}`),
      'the offset 512 is main.go\'s argument: reported there, not at the helper\'s write');
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test('Go package: without a workspace index each file is analysed alone, as before', async () => {
  const r = await analyzeText(PROBE, 'go', SETTINGS, { fileName: '/nonexistent/probe.go' });
  assert.deepEqual(r.sites, []);
});

test('Go package: zfs-dio scan of a package directory finds what lies across its files', () => {
  const dir = writePackage({ 'flags.go': FLAGS, 'probe.go': PROBE, 'ioctl.go': IOCTL.replace('package casync', 'package blockdev'), 'clone.go': CLONE.replace('package casync', 'package blockdev') });
  try {
    const cli = path.join(process.env.ZFS_DIO_ROOT!, 'dist/cli.js');
    const run = spawnSync(process.execPath, [cli, 'scan', dir, '--format', 'json', '--page-size', '4096', '--recordsize', '131072'], { encoding: 'utf8', timeout: 120_000 });
    const out = JSON.parse(run.stdout) as { sites: { file: string; line: number; kind: string }[]; findings: { file: string; line: number; ruleId: string }[] };
    const at = (file: string, l: number) => `${file}:${l}`;
    assert.deepEqual(out.sites.map((s) => `${at(path.basename(s.file), s.line)} ${s.kind}`).sort(), [
      `clone.go:${line(CLONE, '// clone')} ficlone`,
      `probe.go:${line(PROBE, '// open')} o_direct_open`,
      `probe.go:${line(PROBE, '// read')} o_direct_io`,
    ].sort());
    assert.deepEqual(out.findings.map((f) => `${at(path.basename(f.file), f.line)} ${f.ruleId}`).sort(), [
      `clone.go:${line(CLONE, '// header')} ZDIO020`,
      ...['ZDIO001', 'ZDIO002', 'ZDIO003'].map((id) => `probe.go:${line(PROBE, '// read')} ${id}`),
    ].sort());
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test('Go: an ioctl wrapper in the same file: calls with a clone request are sites, other requests and the wrapper itself are none', async () => {
  const text = `package reflink

import (
	"os"
	"syscall"
	"unsafe"
)

const blkGetSize64 = 0x80081272

type cloneRange struct {
	Src_fd      int64
	Src_offset  uint64
	Src_length  uint64
	Dest_offset uint64
}

func ioctlPtr(fd uintptr, req uint, arg unsafe.Pointer) error {
	_, _, errno := syscall.Syscall(syscall.SYS_IOCTL, fd, uintptr(req), uintptr(arg))
	if errno != 0 {
		return errno
	}
	return nil
}

func Partial(dst, src *os.File, n int64) error {
	r := cloneRange{Src_fd: int64(src.Fd()), Src_length: uint64(n)}
	return ioctlPtr(dst.Fd(), FICLONERANGE, unsafe.Pointer(&r)) // clone
}

func Size(f *os.File) (uint64, error) {
	var size uint64
	err := ioctlPtr(f.Fd(), blkGetSize64, unsafe.Pointer(&size)) // size
	return size, err
}

func Header(dst, src *os.File) error {
	if err := Partial(dst, src, 0); err != nil { // whole
		return err
	}
	return Partial(dst, src, 4096) // header
}
`;
  const dir = writePackage({ 'reflink.go': text });
  try {
    const r = await analyse(dir, 'reflink.go');
    assert.deepEqual(sitesOf(r), [`${line(text, '// clone')} ficlone`]);
    assert.deepEqual(findingsOf(r), [`${line(text, '// header')} ZDIO020`],
      'Header() spells nothing the prefilter looks for: it is analysed because it calls a function whose site reads a parameter');
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test('Go package: at most MAX_PACKAGE_FILES files are read, and a file that appears joins the package once the index is told', () => {
  const files: Record<string, string> = { 'a.go': PROBE };
  for (let i = 0; i < MAX_PACKAGE_FILES + 5; i++) files[`z${String(i).padStart(3, '0')}.go`] = `package blockdev\n\nconst c${i} = ${i}\n`;
  const dir = writePackage(files);
  try {
    const index = new WorkspaceIndex({ roots: [dir], snapshot: true });
    const probe = path.join(dir, 'a.go');
    assert.equal(index.contextFor(probe, 'go', PROBE)!.files.length, MAX_PACKAGE_FILES - 1, 'the analysed file counts among them');
    const small = writePackage({ 'probe.go': PROBE });
    try {
      const alone = path.join(small, 'probe.go');
      const smallIndex = new WorkspaceIndex({ roots: [small], snapshot: true });
      assert.equal(smallIndex.contextFor(alone, 'go', PROBE), undefined, 'a package of one file has no context');
      writeFileSync(path.join(small, 'flags.go'), FLAGS);
      smallIndex.filesChanged([path.join(small, 'flags.go')]);
      assert.deepEqual(smallIndex.contextFor(alone, 'go', PROBE)!.files, [path.join(small, 'flags.go')]);
    } finally { rmSync(small, { recursive: true, force: true }); }
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test('Go package: an open in one file, a block writer in a second, the calls in a third: each file reports its own part', async () => {
  const open = `//go:build linux

package blockstore

import (
	"os"
	"syscall"
)

const blockSize = 4096

func openBlockFile(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_RDWR|os.O_CREATE|syscall.O_DIRECT, 0o644) // open
}
`;
  const write = `package blockstore

import "os"

func writeBlock(f *os.File, block []byte, off int64) error {
	_, err := f.WriteAt(block, off) // write
	return err
}
`;
  const store = `package blockstore

import (
	"os"
	"syscall"
)

const superblockOffset = 512

func Open(path string) (*os.File, error) {
	f, err := openBlockFile(path)
	if err != nil {
		return nil, err
	}
	page, err := syscall.Mmap(-1, 0, blockSize, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		return nil, err
	}
	if err := writeBlock(f, page, 0); err != nil { // first
		return nil, err
	}
	return f, writeBlock(f, page, superblockOffset) // superblock
}
`;
  const dir = writePackage({ 'open_linux.go': open, 'write.go': write, 'store.go': store });
  try {
    const index = new WorkspaceIndex({ roots: [dir], snapshot: true });
    const o = await analyse(dir, 'open_linux.go', index);
    assert.deepEqual(sitesOf(o), [`${line(open, '// open')} o_direct_open`]);
    // The writer's descriptor is O_DIRECT because store.go passes it what openBlockFile returns; its values are the callers'.
    const w = await analyse(dir, 'write.go', index);
    assert.deepEqual(sitesOf(w), [`${line(write, '// write')} o_direct_io`]);
    assert.deepEqual(w.findings, []);
    const s = await analyse(dir, 'store.go', index);
    assert.deepEqual(sitesOf(s), []);
    assert.deepEqual(s.findings.map((f) => `${f.range.start.line + 1} ${f.ruleId} ${f.severity}`), [
      `${line(store, '// first')} ZDIO004 information`,
      `${line(store, '// superblock')} ZDIO003 warning`,
    ]);
  } finally { rmSync(dir, { recursive: true, force: true }); }
});
