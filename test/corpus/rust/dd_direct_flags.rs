// Pattern: a dd whose iflag=direct and oflag=direct operands become O_DIRECT in flag words built by make_linux_iflags()/make_linux_oflags() and passed as custom_flags(… .unwrap_or(0)), copying through a plain Vec of the block size; the output's write retries once on EINVAL after clearing O_DIRECT with rustix's fcntl_setfl and restores the flags, and conv=sparse seeks over zero blocks instead of writing them (modelled on uutils coreutils' src/uu/dd/src/dd.rs, make_linux_oflags(), Dest::write and handle_o_direct_write()).
// zdio-category: cross-function
use std::fs::{File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::process::ExitCode;

use rustix::fs::{fcntl_getfl, fcntl_setfl, OFlags};

#[derive(Default)]
struct InputFlags {
    direct: bool,
    noatime: bool,
    nonblock: bool,
}

#[derive(Default)]
struct OutputFlags {
    direct: bool,
    dsync: bool,
    append: bool,
}

struct Settings {
    infile: String,
    outfile: String,
    bs: usize,
    count: Option<u64>,
    sparse: bool,
    iflags: InputFlags,
    oflags: OutputFlags,
}

fn make_linux_iflags(f: &InputFlags) -> Option<libc::c_int> {
    let mut flag = 0;
    if f.direct {
        flag |= libc::O_DIRECT;
    }
    if f.noatime {
        flag |= libc::O_NOATIME;
    }
    if f.nonblock {
        flag |= libc::O_NONBLOCK;
    }
    if flag == 0 { None } else { Some(flag) }
}

fn make_linux_oflags(f: &OutputFlags) -> Option<libc::c_int> {
    let mut flag = 0;
    if f.append {
        flag |= libc::O_APPEND;
    }
    if f.direct {
        flag |= libc::O_DIRECT;
    }
    if f.dsync {
        flag |= libc::O_DSYNC;
    }
    if flag == 0 { None } else { Some(flag) }
}

fn open_input(s: &Settings) -> io::Result<File> {
    let mut opts = OpenOptions::new();
    opts.read(true);
    opts.custom_flags(make_linux_iflags(&s.iflags).unwrap_or(0)); // zdio-expect-site: o_direct_open
    opts.open(&s.infile)
}

fn open_output(s: &Settings) -> io::Result<File> {
    let mut opts = OpenOptions::new();
    opts.write(true).create(true).truncate(!s.oflags.append);
    opts.custom_flags(make_linux_oflags(&s.oflags).unwrap_or(0)); // zdio-expect-site: o_direct_open
    opts.open(&s.outfile)
}

struct Dest {
    file: File,
    sparse: bool,
}

impl Dest {
    fn write_block(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.sparse && buf.iter().all(|&b| b == 0) {
            self.file.seek(SeekFrom::Current(buf.len() as i64))?;
            return Ok(buf.len());
        }
        match self.file.write(buf) { // zdio-expect-site: o_direct_io
            Ok(n) => Ok(n),
            Err(e) if e.raw_os_error() == Some(libc::EINVAL) => retry_without_direct(&mut self.file, buf, e),
            Err(e) => Err(e),
        }
    }
}

/// A short last block cannot go through O_DIRECT: write it buffered, then put the flags back.
fn retry_without_direct(f: &mut File, buf: &[u8], original: io::Error) -> io::Result<usize> {
    let Ok(flags) = fcntl_getfl(&*f) else {
        return Err(original);
    };
    if !flags.contains(OFlags::DIRECT) {
        return Err(original);
    }
    fcntl_setfl(&*f, flags & !OFlags::DIRECT).map_err(|_| original)?;
    let written = f.write(buf); // zdio-expect-none: o_direct_io, ZDIO001, ZDIO002, ZDIO003
    if let Err(e) = fcntl_setfl(&*f, flags) {
        eprintln!("dd: failed to restore O_DIRECT: {e}");
    }
    written
}

fn copy(s: &Settings) -> io::Result<(u64, u64)> {
    let mut input = open_input(s)?;
    let mut dest = Dest { file: open_output(s)?, sparse: s.sparse };
    let mut buf = vec![0u8; s.bs];
    let mut records = 0u64;
    let mut bytes = 0u64;
    loop {
        if s.count.is_some_and(|c| records >= c) {
            break;
        }
        let n = input.read(&mut buf)?; // zdio-expect-site: o_direct_io, zdio-expect: ZDIO001
        if n == 0 {
            break;
        }
        records += 1;
        let mut done = 0;
        while done < n {
            done += dest.write_block(&buf[done..n])?; // zdio-expect: ZDIO001
        }
        bytes += n as u64;
    }
    dest.file.sync_data()?;
    Ok((records, bytes))
}

fn parse_flags(list: &str, direct: &mut bool, mut other: impl FnMut(&str) -> bool) -> Result<(), String> {
    for name in list.split(',') {
        if name == "direct" {
            *direct = true;
        } else if !other(name) {
            return Err(format!("invalid flag: {name}"));
        }
    }
    Ok(())
}

fn parse_args() -> Result<Settings, String> {
    let mut s = Settings {
        infile: "/dev/stdin".into(),
        outfile: "/dev/stdout".into(),
        bs: 512,
        count: None,
        sparse: false,
        iflags: InputFlags::default(),
        oflags: OutputFlags::default(),
    };
    let mut args = std::env::args();
    args.next();
    for arg in args {
        let (key, value) = arg.split_once('=').ok_or_else(|| format!("invalid operand: {arg}"))?;
        match key {
            "if" => s.infile = value.to_string(),
            "of" => s.outfile = value.to_string(),
            "bs" => s.bs = value.parse().map_err(|_| format!("invalid bs: {value}"))?,
            "count" => s.count = Some(value.parse().map_err(|_| format!("invalid count: {value}"))?),
            "conv" => s.sparse = value.split(',').any(|c| c == "sparse"),
            "iflag" => {
                let f = &mut s.iflags;
                let (mut noatime, mut nonblock) = (false, false);
                parse_flags(value, &mut f.direct, |n| match n {
                    "noatime" => { noatime = true; true }
                    "nonblock" => { nonblock = true; true }
                    _ => false,
                })?;
                f.noatime |= noatime;
                f.nonblock |= nonblock;
            }
            "oflag" => {
                let f = &mut s.oflags;
                let (mut dsync, mut append) = (false, false);
                parse_flags(value, &mut f.direct, |n| match n {
                    "dsync" => { dsync = true; true }
                    "append" => { append = true; true }
                    _ => false,
                })?;
                f.dsync |= dsync;
                f.append |= append;
            }
            _ => return Err(format!("unknown operand: {key}")),
        }
    }
    Ok(s)
}

fn main() -> ExitCode {
    let settings = match parse_args() {
        Ok(s) => s,
        Err(msg) => {
            eprintln!("dd: {msg}");
            return ExitCode::from(1);
        }
    };
    match copy(&settings) {
        Ok((records, bytes)) => {
            eprintln!("{records}+0 records in\n{records}+0 records out\n{bytes} bytes copied");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("dd: {e}");
            ExitCode::from(1)
        }
    }
}
