//! Joining the shards of one plan into the results directory one machine
//! would have written (`patronfall results merge`).
//!
//! A shard (`patronfall ensemble --shard K/N`) holds a contiguous block of
//! the plan's experiments (`patronfall_ensemble::shard`), so the whole
//! plan's tables are the shards' tables one after the other: `runs.csv`
//! and `indicators.csv` are their header and then every shard's rows,
//! byte for byte, in shard order; `runs.parquet` and `series.parquet` are
//! their rows rewritten in that order. The merged directory has the runs
//! table in the formats every shard has (`--runs-format` of the shards);
//! shards that differ are refused; `timeseries.parquet` is computed
//! again from the daily series each shard kept of its runs in the fan
//! charts' sample ([`SERIES_SAMPLE`]), since quantiles of parts do not
//! make the quantiles of the whole.
//!
//! Before writing anything the merge checks that the directories are the
//! shards of one plan (the same [`Manifest::plan_identity`]: version,
//! scenario hash, seed, sampler, sizes and options; the same number of
//! shards), that every shard from 1 to N is there exactly once, and that
//! each finished; otherwise it names the shards at fault by number and the
//! commands that rerun them. The merged directory is written under a hidden
//! name beside its destination and renamed into place whole.

use crate::error::ResultsError;
use crate::manifest::{Manifest, MergedEntry};
use crate::write::{SERIES_SAMPLE, props, write_timeseries};
use parquet::arrow::ArrowWriter;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use patronfall_ensemble::Shard;
use patronfall_ensemble::timeseries::Accumulator;
use patronfall_model::Outcome;
use std::io::{BufRead, BufReader, Write};
use std::ops::Range;
use std::path::{Path, PathBuf};

/// A shard the merge cannot use because it did not finish.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Incomplete {
    /// Its number.
    pub index: u32,
    /// Its directory.
    pub dir: PathBuf,
    /// Experiments it finished.
    pub done: u64,
    /// Experiments it holds when whole.
    pub planned: u64,
}

/// What is wrong with the set of shards given: which numbers are missing,
/// given twice or unfinished, and the commands that make them good.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShardProblems {
    /// How many shards the plan is split into.
    pub count: u32,
    /// Numbers no directory holds.
    pub missing: Vec<u32>,
    /// Numbers held by more than one directory, with the directories.
    pub duplicated: Vec<(u32, Vec<PathBuf>)>,
    /// Shards that did not finish.
    pub incomplete: Vec<Incomplete>,
    /// The commands that run the missing and unfinished shards again
    /// (shell words, quoted where needed).
    pub rerun: Vec<String>,
}

impl std::fmt::Display for ShardProblems {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let n = self.count;
        write!(f, "cannot merge the {n} shards of this plan:")?;
        if !self.missing.is_empty() {
            let list: Vec<String> = self.missing.iter().map(|k| format!("{k}/{n}")).collect();
            write!(f, "\n  missing: shard {}", list.join(", "))?;
        }
        for i in &self.incomplete {
            write!(
                f,
                "\n  incomplete: shard {}/{n} in {} ({} of {} experiments finished)",
                i.index,
                i.dir.display(),
                i.done,
                i.planned
            )?;
        }
        for (k, dirs) in &self.duplicated {
            let list: Vec<String> = dirs.iter().map(|d| d.display().to_string()).collect();
            write!(
                f,
                "\n  given more than once: shard {k}/{n} in {}; give one directory per shard",
                list.join(" and ")
            )?;
        }
        if !self.rerun.is_empty() {
            let dir = if self.missing.is_empty() {
                ""
            } else {
                " (DIR: a new directory for the shard)"
            };
            write!(f, "\nrun only these shards again{dir}, then merge again:")?;
            for c in &self.rerun {
                write!(f, "\n  {c}")?;
            }
        }
        Ok(())
    }
}

/// Why shards cannot be merged.
#[derive(Debug, thiserror::Error)]
pub enum MergeError {
    /// No directory was given.
    #[error("no shard to merge: give the results directories of every shard of the plan")]
    NoShards,
    /// A directory holds a whole plan or something else, not a shard.
    #[error(
        "{}: not a shard: its manifest records no `shard` (it was not written by `patronfall ensemble --shard K/N`, or is a merged directory already); give only the shards' directories",
        dir.display()
    )]
    NotShard {
        /// The directory.
        dir: PathBuf,
    },
    /// A shard of another plan, scenario or version than the first.
    #[error(
        "{} holds shard {shard} of another plan than {} (shard {first_shard}): {}; shards join only with shards of the same plan, scenario and version: run it again with the same patronfall, scenario and options as the others",
        dir.display(),
        first_dir.display(),
        differences.join("; ")
    )]
    OtherPlan {
        /// The shard's directory.
        dir: PathBuf,
        /// Its shard, `K/N`.
        shard: String,
        /// The first directory given, the reference.
        first_dir: PathBuf,
        /// The first directory's shard.
        first_shard: String,
        /// What differs, field by field (`seed: 7 against 1`).
        differences: Vec<String>,
    },
    /// Shards missing, given twice or unfinished.
    #[error("{0}")]
    Shards(ShardProblems),
    /// The destination cannot take the merged directory.
    #[error("{}: {message}", dir.display())]
    Out {
        /// The destination.
        dir: PathBuf,
        /// What is wrong and what to do.
        message: String,
    },
    /// A shard's file is not what its manifest says, or a file cannot be
    /// read or written.
    #[error(transparent)]
    Results(#[from] ResultsError),
}

impl MergeError {
    /// Whether the user must fix the shards or the destination (exit code
    /// 2) rather than something else having failed (exit code 1).
    pub fn is_bad_input(&self) -> bool {
        match self {
            MergeError::Results(e) => e.is_bad_input(),
            _ => true,
        }
    }
}

/// What [`merge`] wrote.
#[derive(Clone, Debug)]
pub struct Merged {
    /// The merged directory's manifest.
    pub manifest: Manifest,
    /// How many shards were joined.
    pub shards: u32,
}

/// One shard given to the merge.
struct Given {
    dir: PathBuf,
    manifest: Manifest,
    shard: Shard,
    block: Range<u64>,
}

/// Joins the shards in `dirs` (in any order) into the new directory `out`,
/// recording `command` (as typed) as the merged directory's command.
pub fn merge(dirs: &[PathBuf], out: &Path, command: Vec<String>) -> Result<Merged, MergeError> {
    let shards = check(dirs)?;
    let staging = staging_dir(out)?;
    let written = write_merged(&shards, &staging, command);
    let manifest = match written {
        Ok(m) => m,
        Err(e) => {
            let _ = std::fs::remove_dir_all(&staging);
            return Err(e);
        }
    };
    std::fs::rename(&staging, out).map_err(|e| {
        let _ = std::fs::remove_dir_all(&staging);
        ResultsError::io("move into place", out)(e)
    })?;
    Ok(Merged {
        manifest,
        shards: shards.len() as u32,
    })
}

/// Reads the shards' manifests and checks that they are the shards of one
/// plan, each there once and finished; returns them in shard order.
fn check(dirs: &[PathBuf]) -> Result<Vec<Given>, MergeError> {
    let mut given = Vec::with_capacity(dirs.len());
    for dir in dirs {
        let manifest = crate::read::manifest(dir)?;
        let Some(entry) = manifest.shard.clone() else {
            return Err(MergeError::NotShard { dir: dir.clone() });
        };
        let shard = Shard::parse(&format!("{}/{}", entry.index, entry.count)).map_err(|e| {
            ResultsError::input(&dir.join("manifest.json"), None, format!("shard: {e}"))
        })?;
        let block = shard.range(entry.plan_experiments);
        if entry.experiments != [block.start, block.end] {
            return Err(ResultsError::input(
                &dir.join("manifest.json"),
                None,
                format!(
                    "shard {shard} of {} experiments holds experiments {} to {} but should hold {} to {}; the manifest was changed: run the shard again",
                    entry.plan_experiments,
                    entry.experiments[0],
                    entry.experiments[1],
                    block.start,
                    block.end
                ),
            )
            .into());
        }
        given.push(Given {
            dir: dir.clone(),
            manifest,
            shard,
            block,
        });
    }
    let Some(first) = given.first() else {
        return Err(MergeError::NoShards);
    };
    let reference = first.manifest.plan_identity();
    let recorded = |g: &Given| g.manifest.shard.as_ref().map(|s| s.plan_sha256.clone());
    for g in &given[1..] {
        let mut differences = differences(&g.manifest.plan_identity(), &reference);
        if differences.is_empty() && recorded(g) != recorded(first) {
            differences.push(format!(
                "plan_sha256 {} against {}",
                recorded(g).unwrap_or_default(),
                recorded(first).unwrap_or_default()
            ));
        }
        if g.shard.count != first.shard.count {
            differences.insert(
                0,
                format!(
                    "split into {} shards against {}",
                    g.shard.count, first.shard.count
                ),
            );
        }
        if !differences.is_empty() {
            return Err(MergeError::OtherPlan {
                dir: g.dir.clone(),
                shard: g.shard.to_string(),
                first_dir: first.dir.clone(),
                first_shard: first.shard.to_string(),
                differences,
            });
        }
    }
    let count = first.shard.count;
    let mut problems = ShardProblems {
        count,
        missing: Vec::new(),
        duplicated: Vec::new(),
        incomplete: Vec::new(),
        rerun: Vec::new(),
    };
    for k in 1..=count {
        let holding: Vec<&Given> = given.iter().filter(|g| g.shard.index == k).collect();
        match holding.as_slice() {
            [] => {
                problems.missing.push(k);
                problems.rerun.push(rerun(
                    &first.manifest.command,
                    Shard { index: k, count },
                    None,
                ));
            }
            [g] => {
                let finished = g.manifest.complete
                    && g.manifest.experiments_done == g.manifest.experiments_planned
                    && ["runs.csv", "runs.parquet"].iter().any(|f| {
                        g.manifest.files.iter().any(|l| l == f) && g.dir.join(f).is_file()
                    });
                if !finished {
                    problems.incomplete.push(Incomplete {
                        index: k,
                        dir: g.dir.clone(),
                        done: g.manifest.experiments_done,
                        planned: g.manifest.experiments_planned,
                    });
                    problems
                        .rerun
                        .push(rerun(&g.manifest.command, g.shard, Some(&g.dir)));
                }
            }
            many => problems
                .duplicated
                .push((k, many.iter().map(|g| g.dir.clone()).collect())),
        }
    }
    if !(problems.missing.is_empty()
        && problems.incomplete.is_empty()
        && problems.duplicated.is_empty())
    {
        return Err(MergeError::Shards(problems));
    }
    given.sort_by_key(|g| g.shard.index);
    Ok(given)
}

/// The fields of a shard's plan identity that differ from the first's, in
/// words: the value of each when short, or only the field's name.
fn differences(
    this: &serde_json::Map<String, serde_json::Value>,
    first: &serde_json::Map<String, serde_json::Value>,
) -> Vec<String> {
    let mut keys: Vec<&String> = this.keys().chain(first.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter_map(|k| {
            let (a, b) = (this.get(k), first.get(k));
            if a == b {
                return None;
            }
            let text =
                |v: Option<&serde_json::Value>| v.map_or("nothing".into(), |v| v.to_string());
            let (a, b) = (text(a), text(b));
            Some(if a.len() + b.len() <= 120 {
                format!("{k} {a} against {b}")
            } else {
                format!("{k} differs")
            })
        })
        .collect()
}

/// The command that runs shard `shard` again: `command` (a shard's, as
/// typed) with its `--shard` set to it, and its `--out` set to `dir` with
/// `--force` (an unfinished shard's directory) or to `DIR` (a missing
/// shard).
fn rerun(command: &[String], shard: Shard, dir: Option<&Path>) -> String {
    let out = dir.map_or_else(|| "DIR".to_string(), |d| d.display().to_string());
    let mut words: Vec<String> = Vec::with_capacity(command.len() + 3);
    let (mut shard_set, mut out_set) = (false, false);
    let mut args = command.iter();
    while let Some(a) = args.next() {
        match a.as_str() {
            "--shard" | "--out" => {
                let is_shard = a == "--shard";
                words.push(a.clone());
                words.push(if is_shard {
                    shard.to_string()
                } else {
                    out.clone()
                });
                args.next();
                if is_shard {
                    shard_set = true;
                } else {
                    out_set = true;
                }
            }
            _ if a.starts_with("--shard=") => {
                words.push(format!("--shard={shard}"));
                shard_set = true;
            }
            _ if a.starts_with("--out=") => {
                words.push(format!("--out={out}"));
                out_set = true;
            }
            _ => words.push(a.clone()),
        }
    }
    if !shard_set {
        words.extend(["--shard".to_string(), shard.to_string()]);
    }
    if !out_set {
        words.extend(["--out".to_string(), out]);
    }
    if dir.is_some() && !words.iter().any(|w| w == "--force") {
        words.push("--force".into());
    }
    words
        .iter()
        .map(|w| shell_word(w))
        .collect::<Vec<_>>()
        .join(" ")
}

/// A word as a POSIX shell reads it back: as is when it holds only safe
/// characters, in single quotes otherwise.
fn shell_word(w: &str) -> String {
    let safe = !w.is_empty()
        && w.chars()
            .all(|c| c.is_ascii_alphanumeric() || "_-./:=@%+,".contains(c));
    if safe {
        w.to_string()
    } else {
        format!("'{}'", w.replace('\'', r"'\''"))
    }
}

/// Whether a merge may write into `out`: it does not exist yet, or it is
/// an empty directory.
pub fn accepts_out(out: &Path) -> bool {
    !out.exists()
        || (out.is_dir()
            && std::fs::read_dir(out)
                .map(|mut d| d.next().is_none())
                .unwrap_or(false))
}

/// The hidden directory the merge writes into, beside `out`; refuses an
/// `out` that is a file or a directory with something in it.
fn staging_dir(out: &Path) -> Result<PathBuf, MergeError> {
    if !accepts_out(out) {
        return Err(MergeError::Out {
            dir: out.to_path_buf(),
            message: "exists and is not an empty directory; the merge writes a new results directory: choose another --out or remove it".into(),
        });
    }
    let staging = crate::temp_path(out);
    match std::fs::remove_dir_all(&staging) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(ResultsError::io("remove", &staging)(e).into()),
    }
    std::fs::create_dir_all(&staging).map_err(ResultsError::io("create", &staging))?;
    Ok(staging)
}

/// Whether every shard lists `name` among its files; refuses shards that
/// disagree.
fn in_every(shards: &[Given], name: &str) -> Result<bool, ResultsError> {
    let has = |g: &Given| g.manifest.files.iter().any(|f| f == name);
    let first = has(&shards[0]);
    match shards.iter().find(|g| has(g) != first) {
        Some(g) => Err(ResultsError::input(
            &g.dir.join("manifest.json"),
            None,
            format!(
                "files: shard {} {} {name} but shard {} {}; run the shards with the same options",
                g.shard,
                if first { "lacks" } else { "has" },
                shards[0].shard,
                if first { "has it" } else { "does not" }
            ),
        )),
        None => Ok(first),
    }
}

/// Writes the merged directory into `dir`; returns its manifest.
fn write_merged(
    shards: &[Given],
    dir: &Path,
    command: Vec<String>,
) -> Result<Manifest, MergeError> {
    let mut files = Vec::new();
    if in_every(shards, "runs.csv")? {
        concat_rows(shards, "runs.csv", &dir.join("runs.csv"))?;
        files.push("runs.csv".to_string());
    }
    if in_every(shards, "runs.parquet")? {
        concat_parquet(shards, "runs.parquet", &dir.join("runs.parquet"))?;
        files.push("runs.parquet".into());
    }
    if in_every(shards, crate::indicators::CSV)? {
        let name = crate::indicators::CSV;
        concat_rows(shards, name, &dir.join(name))?;
        files.push(name.into());
    }
    if in_every(shards, "series.parquet")? {
        concat_parquet(shards, "series.parquet", &dir.join("series.parquet"))?;
        files.push("series.parquet".into());
    }
    if in_every(shards, crate::indicators::JSON)? {
        let name = crate::indicators::JSON;
        let bytes = same_bytes(shards, name)?;
        let path = dir.join(name);
        crate::write_atomic(&path, &bytes).map_err(ResultsError::io("write", &path))?;
        files.push(name.into());
    }
    let first = &shards[0].manifest;
    if in_every(shards, SERIES_SAMPLE)? {
        let mut fans = Accumulator::new(first.coas.len(), first.days, first.series_sample);
        for g in shards {
            add_series_sample(&g.dir.join(SERIES_SAMPLE), &first.coas, &mut fans)?;
        }
        write_timeseries(&dir.join("timeseries.parquet"), &first.coas, &fans.finish())?;
        files.push("timeseries.parquet".into());
    }
    files.push("manifest.json".into());
    let mut platforms: Vec<&str> = shards
        .iter()
        .map(|g| g.manifest.platform.as_str())
        .collect();
    platforms.sort();
    platforms.dedup();
    let total: u64 = shards.iter().map(|g| g.block.end - g.block.start).sum();
    let manifest = Manifest {
        command,
        platform: platforms.join(", "),
        experiments_planned: total,
        experiments_done: total,
        complete: true,
        files,
        shard: None,
        merged: Some(MergedEntry {
            shards: shards.len() as u32,
            // As the shards recorded it, from the plan they ran.
            plan_sha256: first
                .shard
                .as_ref()
                .map_or_else(|| first.plan_sha256(), |s| s.plan_sha256.clone()),
            commands: shards.iter().map(|g| g.manifest.command.clone()).collect(),
        }),
        ..first.clone()
    };
    manifest.write(dir)?;
    Ok(manifest)
}

/// The bytes of the file `name`, the same in every shard.
fn same_bytes(shards: &[Given], name: &str) -> Result<Vec<u8>, ResultsError> {
    let read = |g: &Given| {
        let path = g.dir.join(name);
        std::fs::read(&path)
            .map_err(|e| ResultsError::input(&path, None, format!("cannot read it: {e}")))
    };
    let first = read(&shards[0])?;
    for g in &shards[1..] {
        if read(g)? != first {
            return Err(ResultsError::input(
                &g.dir.join(name),
                None,
                format!(
                    "differs from shard {}'s; the shards of one plan write the same: run this shard again",
                    shards[0].shard
                ),
            ));
        }
    }
    Ok(first)
}

/// Writes the header of the shards' CSV table `name` and then every
/// shard's rows, byte for byte, into `dest`, checking that the header is
/// the same in every shard and that each shard's rows are its block of
/// experiments in order (the first field of a row is its experiment).
fn concat_rows(shards: &[Given], name: &str, dest: &Path) -> Result<(), ResultsError> {
    let file = std::fs::File::create(dest).map_err(ResultsError::io("create", dest))?;
    let mut w = std::io::BufWriter::new(file);
    let mut header: Option<Vec<u8>> = None;
    let mut line = Vec::new();
    for g in shards {
        let path = g.dir.join(name);
        let cannot =
            |e: std::io::Error| ResultsError::input(&path, None, format!("cannot read it: {e}"));
        let mut r = BufReader::new(std::fs::File::open(&path).map_err(cannot)?);
        line.clear();
        r.read_until(b'\n', &mut line).map_err(cannot)?;
        match &header {
            None => header = Some(line.clone()),
            Some(h) if *h != line => {
                return Err(ResultsError::input(
                    &path,
                    Some(1),
                    format!(
                        "its header differs from shard {}'s; the shards of one plan write the same columns: run this shard again",
                        shards[0].shard
                    ),
                ));
            }
            Some(_) => {}
        }
        if g.shard.index == shards[0].shard.index {
            w.write_all(&line)
                .map_err(ResultsError::io("write", dest))?;
        }
        let mut expected = g.block.start;
        let mut number = 1u64;
        loop {
            line.clear();
            let n = r.read_until(b'\n', &mut line).map_err(cannot)?;
            if n == 0 {
                break;
            }
            number += 1;
            let field = line.split(|&b| b == b',').next().unwrap_or_default();
            let experiment = std::str::from_utf8(field)
                .ok()
                .and_then(|t| t.trim_end().parse::<u64>().ok());
            if experiment != Some(expected) || !line.ends_with(b"\n") {
                return Err(ResultsError::input(
                    &path,
                    Some(number),
                    format!(
                        "`experiment` is `{}` where shard {} should hold experiment {expected} (its experiments run from {} to {}); the file was changed or cut short: run this shard again",
                        String::from_utf8_lossy(field).trim_end(),
                        g.shard,
                        g.block.start,
                        g.block.end - 1
                    ),
                ));
            }
            w.write_all(&line)
                .map_err(ResultsError::io("write", dest))?;
            expected += 1;
        }
        if expected != g.block.end {
            return Err(ResultsError::input(
                &path,
                None,
                format!(
                    "holds {} rows where shard {} holds {} experiments; run this shard again",
                    expected - g.block.start,
                    g.shard,
                    g.block.end - g.block.start
                ),
            ));
        }
    }
    let file = w
        .into_inner()
        .map_err(|e| ResultsError::io("write", dest)(e.into_error()))?;
    file.sync_all().map_err(ResultsError::io("write", dest))
}

/// Writes every shard's rows of the Parquet table `name`, in shard order,
/// into `dest`, with the writer settings of an ensemble.
fn concat_parquet(shards: &[Given], name: &str, dest: &Path) -> Result<(), ResultsError> {
    let mut writer: Option<(ArrowWriter<std::fs::File>, arrow_schema::SchemaRef)> = None;
    for g in shards {
        let path = g.dir.join(name);
        let file = std::fs::File::open(&path)
            .map_err(|e| ResultsError::input(&path, None, format!("cannot read it: {e}")))?;
        let not_parquet = |e: parquet::errors::ParquetError| {
            ResultsError::input(&path, None, format!("cannot read it as Parquet: {e}"))
        };
        let builder = ParquetRecordBatchReaderBuilder::try_new(file).map_err(not_parquet)?;
        let schema = builder.schema().clone();
        if writer.is_none() {
            let out = std::fs::File::create(dest).map_err(ResultsError::io("create", dest))?;
            writer = Some((
                ArrowWriter::try_new(out, schema.clone(), Some(props()))
                    .map_err(ResultsError::encode(dest))?,
                schema.clone(),
            ));
        }
        let Some((w, first_schema)) = writer.as_mut() else {
            continue;
        };
        if *first_schema != schema {
            return Err(ResultsError::input(
                &path,
                None,
                format!(
                    "its columns differ from shard {}'s; run this shard again",
                    shards[0].shard
                ),
            ));
        }
        let reader = builder.build().map_err(not_parquet)?;
        for batch in reader {
            let batch = batch.map_err(|e| {
                ResultsError::input(&path, None, format!("cannot read it as Parquet: {e}"))
            })?;
            w.write(&batch).map_err(ResultsError::encode(dest))?;
        }
    }
    if let Some((w, _)) = writer {
        let file = w.into_inner().map_err(ResultsError::encode(dest))?;
        file.sync_all().map_err(ResultsError::io("write", dest))?;
    }
    Ok(())
}

/// Feeds a shard's [`SERIES_SAMPLE`] to the fan charts' accumulator.
fn add_series_sample(
    path: &Path,
    coas: &[String],
    fans: &mut Accumulator,
) -> Result<(), ResultsError> {
    use arrow_array::{Array, Float64Array, StringArray, UInt32Array};
    let bad = |m: String| ResultsError::input(path, None, m);
    let file = std::fs::File::open(path).map_err(|e| bad(format!("cannot read it: {e}")))?;
    let reader = ParquetRecordBatchReaderBuilder::try_new(file)
        .and_then(|b| b.build())
        .map_err(|e| bad(format!("cannot read it as Parquet: {e}")))?;
    for batch in reader {
        let batch = batch.map_err(|e| bad(format!("cannot read it as Parquet: {e}")))?;
        let column = |name: &str| {
            batch
                .column_by_name(name)
                .ok_or_else(|| bad(format!("no `{name}` column; run this shard again")))
        };
        let coa = column("coa")?
            .as_any()
            .downcast_ref::<StringArray>()
            .ok_or_else(|| bad("`coa` is not text; run this shard again".into()))?;
        let day = column("day")?
            .as_any()
            .downcast_ref::<UInt32Array>()
            .ok_or_else(|| bad("`day` is not a whole number; run this shard again".into()))?;
        let outcomes: Vec<&Float64Array> = Outcome::ALL
            .iter()
            .map(|o| {
                column(o.name())?
                    .as_any()
                    .downcast_ref::<Float64Array>()
                    .ok_or_else(|| {
                        bad(format!(
                            "`{}` is not a number; run this shard again",
                            o.name()
                        ))
                    })
            })
            .collect::<Result<_, _>>()?;
        let mut values = vec![0.0; Outcome::COUNT];
        for row in 0..batch.num_rows() {
            let name = coa.value(row);
            let slot = coas.iter().position(|c| c == name).ok_or_else(|| {
                bad(format!(
                    "course of action `{name}` is not in the manifest ({})",
                    coas.join(", ")
                ))
            })?;
            for (v, column) in values.iter_mut().zip(&outcomes) {
                *v = column.value(row);
            }
            fans.add_day(slot, day.value(row) as usize, &values);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        text.split(' ').map(str::to_string).collect()
    }

    #[test]
    fn a_rerun_command_names_the_shard_and_its_directory() {
        let shard = Shard { index: 2, count: 3 };
        let typed = words("patronfall ensemble --runs 8 --shard 1/3 --out s1");
        assert_eq!(
            rerun(&typed, shard, None),
            "patronfall ensemble --runs 8 --shard 2/3 --out DIR"
        );
        assert_eq!(
            rerun(&typed, shard, Some(Path::new("run two"))),
            "patronfall ensemble --runs 8 --shard 2/3 --out 'run two' --force"
        );
        let typed = words("patronfall ensemble --shard=1/3 --out=s1 --force");
        assert_eq!(
            rerun(&typed, shard, Some(Path::new("s2"))),
            "patronfall ensemble --shard=2/3 --out=s2 --force"
        );
        assert_eq!(
            rerun(&words("patronfall ensemble"), shard, None),
            "patronfall ensemble --shard 2/3 --out DIR"
        );
        assert_eq!(shell_word("it's"), r"'it'\''s'");
    }

    #[test]
    fn differences_name_each_field_with_short_values() {
        let a: serde_json::Map<String, serde_json::Value> =
            serde_json::from_str(r#"{"seed": 7, "version": "0.1.0", "big": [1,2,3], "same": 1}"#)
                .unwrap();
        let mut b = a.clone();
        b.insert("seed".into(), 1.into());
        b.insert("big".into(), serde_json::Value::String("x".repeat(200)));
        assert_eq!(
            differences(&a, &b),
            vec!["big differs".to_string(), "seed 7 against 1".to_string()]
        );
        assert!(differences(&a, &a).is_empty());
    }
}
