//! Bad scenario input: every error names the file, line, column and field,
//! says what was expected, and exits with code 2; nothing panics.

use std::path::PathBuf;
use std::process::Command;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_patronfall"))
}

fn dir() -> PathBuf {
    let d = std::env::temp_dir().join(format!("pf-scenario-errors-{}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// The template with one replacement (which must apply), checked by the binary.
fn check_with(name: &str, from: &str, to: &str) -> (i32, String) {
    let template = patronfall_template();
    assert!(
        template.contains(from),
        "test setup: `{from}` not in the template"
    );
    let text = template.replacen(from, to, 1);
    check_text(name, &text)
}

fn check_text(name: &str, text: &str) -> (i32, String) {
    let path = dir().join(format!("{name}.toml"));
    std::fs::write(&path, text).unwrap();
    let out = bin()
        .args(["scenario", "check"])
        .arg(&path)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(
        !stderr.contains("panicked"),
        "{name}: the program panicked:\n{stderr}"
    );
    (out.status.code().unwrap_or(-1), stderr)
}

fn patronfall_template() -> String {
    let out = bin().args(["scenario", "init"]).output().unwrap();
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

/// Asserts exit code 2 and that the message names `file:line:column` with
/// the expected line, the field, and contains every `words`.
fn assert_error(name: &str, code: i32, stderr: &str, line: usize, field: &str, words: &[&str]) {
    assert_eq!(code, 2, "{name}: exit code {code}\n{stderr}");
    let location = format!("{name}.toml:{line}:");
    assert!(
        stderr.contains(&location),
        "{name}: no `{location}` in\n{stderr}"
    );
    assert!(
        stderr.contains(field),
        "{name}: field `{field}` not named in\n{stderr}"
    );
    for w in words {
        assert!(stderr.contains(w), "{name}: `{w}` not in\n{stderr}");
    }
}

/// 1-based line on which `needle` (which may span lines) starts.
fn line_of(text: &str, needle: &str) -> usize {
    let at = text
        .find(needle)
        .unwrap_or_else(|| panic!("`{needle}` not found"));
    text[..at].matches('\n').count() + 1
}

#[test]
fn the_template_is_valid() {
    let (code, stderr) = check_text("valid", &patronfall_template());
    assert_eq!(code, 0, "{stderr}");
}

#[test]
fn a_tie_to_an_unknown_actor() {
    let t = patronfall_template();
    let (code, err) = check_with(
        "tie_actor",
        "to = \"loyalists\"\nkind = \"funds\"",
        "to = \"loyalist\"\nkind = \"funds\"",
    );
    let line = line_of(&t, "to = \"loyalists\"\nkind = \"funds\"");
    assert_error(
        "tie_actor",
        code,
        &err,
        line,
        "tie.patron->loyalist.funds.to",
        &[
            "unknown actor, crossing or region `loyalist`",
            "did you mean `loyalists`",
        ],
    );
}

#[test]
fn a_share_outside_zero_one() {
    let t = patronfall_template();
    let (code, err) = check_with(
        "share",
        "flee_share = [0.2, 0.6]",
        "flee_share = [0.2, 1.6]",
    );
    assert_error(
        "share",
        code,
        &err,
        line_of(&t, "flee_share = [0.2, 0.6]"),
        "state.patron.pool.officials.flee_share",
        &["out of range", "between 0 and 1"],
    );
}

#[test]
fn negative_fighters() {
    let t = patronfall_template();
    let (code, err) = check_with("fighters", "fighters = 5000\n", "fighters = -5000\n");
    assert_error(
        "fighters",
        code,
        &err,
        line_of(&t, "fighters = 5000"),
        "armed_group.pragmatists.fighters",
        &["-5000", "out of range"],
    );
}

#[test]
fn duplicate_ids() {
    let t = patronfall_template();
    let (code, err) = check_with("duplicate", "id = \"pragmatists\"", "id = \"loyalists\"");
    assert_error(
        "duplicate",
        code,
        &err,
        line_of(&t, "id = \"pragmatists\""),
        "armed_group.id",
        &["duplicate id `loyalists`"],
    );
}

#[test]
fn an_unknown_lever_in_a_course_of_action() {
    let t = patronfall_template();
    let (code, err) = check_with(
        "lever",
        "{ lever = \"border\", value = 0.3, day = 1 }",
        "{ lever = \"boarder\", value = 0.3, day = 1 }",
    );
    assert_error(
        "lever",
        code,
        &err,
        line_of(&t, "{ lever = \"border\", value = 0.3, day = 1 }"),
        "coa.act.set.lever",
        &["unknown lever `boarder`", "did you mean `border`"],
    );
}

#[test]
fn an_unknown_course_of_action() {
    let t = patronfall_template();
    let (code, err) = check_with("coa", "default_coa = \"wait\"", "default_coa = \"wiat\"");
    assert_error(
        "coa",
        code,
        &err,
        line_of(&t, "default_coa = \"wait\""),
        "scenario.default_coa",
        &["unknown course of action `wiat`"],
    );
    // And on the command line: exit 2 naming the flag.
    let path = dir().join("ok.toml");
    std::fs::write(&path, patronfall_template()).unwrap();
    let out = bin()
        .args(["run", "--coa", "nothing", "--scenario"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--coa: `nothing`"));
}

#[test]
fn a_trigger_on_an_unknown_outcome() {
    let t = patronfall_template();
    let (code, err) = check_with(
        "outcome",
        "outcome = \"holdout_fighters\"",
        "outcome = \"holdout_fighter\"",
    );
    assert_error(
        "outcome",
        code,
        &err,
        line_of(&t, "outcome = \"holdout_fighters\""),
        "coa.act.trigger.0.when.outcome",
        &[
            "unknown outcome `holdout_fighter`",
            "did you mean `holdout_fighters`",
        ],
    );
}

#[test]
fn a_figure_citing_an_unknown_source() {
    let t = patronfall_template();
    let (code, err) = check_with(
        "source",
        "capacity = 0.9\nsources = [\"A1\"]",
        "capacity = { value = 0.9, source = \"S99\" }\nsources = [\"A1\"]",
    );
    assert_error(
        "source",
        code,
        &err,
        line_of(&t, "capacity = 0.9"),
        "state.patron.capacity",
        &["unknown source `S99`", "[[source]]"],
    );
    let (code, err) = check_with(
        "source_list",
        "sources = [\"A1\"]\ntheater",
        "sources = [\"A2\"]\ntheater",
    );
    assert_error(
        "source_list",
        code,
        &err,
        line_of(&t, "sources = [\"A1\"]"),
        "state.patron.sources",
        &["unknown source `A2`"],
    );
}

#[test]
fn a_wrong_type() {
    let t = patronfall_template();
    let (code, err) = check_with(
        "type",
        "horizon_days = 180",
        "horizon_days = \"half a year\"",
    );
    assert_error(
        "type",
        code,
        &err,
        line_of(&t, "horizon_days = 180"),
        "scenario",
        &["invalid type"],
    );
}

#[test]
fn an_unknown_field_is_not_ignored() {
    let t = patronfall_template();
    let (code, err) = check_with(
        "field",
        "morale = 0.7\nideology = 0.9",
        "moral = 0.7\nideology = 0.9",
    );
    assert_error(
        "field",
        code,
        &err,
        line_of(&t, "morale = 0.7\nideology = 0.9"),
        "armed_group",
        &["unknown field `moral`"],
    );
}

#[test]
fn an_empty_file() {
    let (code, err) = check_text("empty", "");
    assert_eq!(code, 2);
    assert!(
        err.contains("empty.toml")
            && err.contains("the file is empty")
            && err.contains("scenario init"),
        "{err}"
    );
}

#[test]
fn a_file_that_is_not_toml() {
    let (code, err) = check_text("not_toml", "{ \"this\": \"is json\" }\n");
    assert_error(
        "not_toml",
        code,
        &err,
        1,
        "(file)",
        &["check the TOML syntax"],
    );
}

#[test]
fn a_missing_file() {
    let out = bin()
        .args(["scenario", "check", "no/such/file.toml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot read the file"));
}

/// An issue appended to the template, with the given `smp = …` line.
fn with_issue(smp: &str) -> String {
    format!(
        "{}\n[[issue]]\nid = \"arms\"\nname = \"Arms\"\nevery_days = 30\n{smp}\n\n\
         [[issue.stakeholder]]\nactor = \"host\"\nposition = 80\nsalience = 0.8\ncapability = 50\n\n\
         [[issue.stakeholder]]\nactor = \"patron\"\nposition = 10\nsalience = 0.9\ncapability = 30\n",
        patronfall_template()
    )
}

#[test]
fn an_issue_sets_ktab_parameters_by_name() {
    let t = with_issue("smp = { MinDeltaRatio = 0.1, VotingRule = \"PropCbc\", MaxIter = 50 }");
    let (code, err) = check_text("smp-good", &t);
    assert_eq!(code, 0, "{err}");
}

#[test]
fn an_unknown_or_bad_ktab_parameter() {
    let cases = [
        (
            "smp-name",
            "smp = { MinDeltaRatoi = 0.1 }",
            "issue.arms.smp.MinDeltaRatoi",
            &["unknown parameter 'MinDeltaRatoi'", "MinDeltaRatio"][..],
        ),
        (
            "smp-value",
            "smp = { VotingRule = \"Plurality\" }",
            "issue.arms.smp.VotingRule",
            &["VotingRule cannot be 'Plurality'", "PropCbc"][..],
        ),
        (
            "smp-range",
            "smp = { MinDeltaRatio = 2 }",
            "issue.arms.smp.MinDeltaRatio",
            &["must lie in [0, 1]"][..],
        ),
    ];
    for (name, line, field, words) in cases {
        let t = with_issue(line);
        let (code, err) = check_text(name, &t);
        assert_error(name, code, &err, line_of(&t, "smp = {"), field, words);
    }
}
