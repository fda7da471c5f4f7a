//! How the reader reports a file's problems: all of them in one pass, each
//! with its line and field, unknown fields included. The cases the fuzz
//! harness (`crates/cli/tests/fuzz.rs`) found are kept here by name.

use patronfall_scenario::{ScenarioError, TEMPLATE, parse};

/// The template with `from` replaced by `to` (once; the edit must apply).
fn edited(from: &str, to: &str) -> String {
    assert!(TEMPLATE.contains(from), "the template holds {from:?}");
    TEMPLATE.replacen(from, to, 1)
}

fn problems(text: &str) -> ScenarioError {
    match parse("s.toml", text) {
        Ok(_) => panic!("the edited template was accepted"),
        Err(e) => e,
    }
}

/// `s.toml:LINE:COL: FIELD` of every problem.
fn located(e: &ScenarioError) -> Vec<String> {
    e.problems
        .iter()
        .map(|p| format!("{}: {}", e.location(p), p.field))
        .collect()
}

#[test]
fn an_unknown_field_is_reported_with_the_other_problems() {
    let text = edited("id = \"template\"\n", "id = \"template\"\nbogus = 1\n")
        .replacen(
            "morale = 0.7\ncost_per_fighter = 30",
            "morale = 7\ncost_per_fighter = 30",
            1,
        )
        .replacen("fill_rate = 0.7\n", "fill_rate = 0.7\nfightrs = 3\n", 1);
    let e = problems(&text);
    let at = located(&e);
    assert_eq!(e.problems.len(), 3, "{}", e.render());
    assert!(at[0].ends_with(":11:1: scenario.bogus"), "{at:?}");
    assert!(e.problems[0].message.contains("unknown field `bogus`"));
    assert!(at[1].contains("armed_group.army.morale"), "{at:?}");
    assert!(at[2].contains("fightrs"), "{at:?}");
    assert!(e.problems[2].message.contains("unknown field `fightrs`"));
    // In file order, and said once each.
    let lines: Vec<usize> = at
        .iter()
        .map(|a| a.split(':').nth(1).unwrap().parse().unwrap())
        .collect();
    assert!(lines.windows(2).all(|w| w[0] <= w[1]), "{at:?}");
    assert!(e.render().ends_with("3 problems in s.toml\n"));
}

#[test]
fn unknown_fields_alone_still_refuse_the_file() {
    let e = problems(&edited(
        "[[coa]]\nid = \"wait\"\n",
        "[[coa]]\nid = \"wait\"\nspeed = 2\n",
    ));
    assert_eq!(e.problems.len(), 1, "{}", e.render());
    assert!(located(&e)[0].ends_with("coa.speed"), "{:?}", located(&e));
    // Unknown fields nested in inline tables and arrays are found too.
    let e = problems(&edited(
        "allegiance = { patron = 0.8, host = 0.05, self = 0.15 }",
        "allegiance = { patron = 0.8, host = 0.05, self = 0.15, other = 0 }",
    ));
    assert_eq!(e.problems.len(), 1, "{}", e.render());
    assert!(e.problems[0].message.contains("unknown field `other`"));
}

#[test]
fn an_unknown_field_beside_a_missing_one_names_both() {
    let e = problems(&edited("morale = 0.6\n", "moral = 0.6\n"));
    assert_eq!(e.problems.len(), 2, "{}", e.render());
    assert!(e.problems[0].message.contains("unknown field `moral`"));
    assert!(e.problems[1].message.contains("missing field `morale`"));
}

/// Found by the fuzz harness: the host lost its capital while an offensive
/// was scheduled, and the problem had neither line nor the host's name.
#[test]
fn an_offensive_without_a_capital_points_at_the_offensive() {
    let text = edited("capital = \"capital\"\n", "").replacen(
        "[[shock]]\nid = \"none\"",
        "[[shock]]\nid = \"push\"\nname = \"Push\"\nevent = [{ id = \"attack\", kind = \"offensive\", group = \"loyalists\", region = \"capital\", commit = 0.5, day = 3 }]\n\n[[shock]]\nid = \"none\"",
        1,
    );
    let e = problems(&text);
    let p = e
        .problems
        .iter()
        .find(|p| p.message.contains("no capital"))
        .unwrap_or_else(|| panic!("{}", e.render()));
    assert_eq!(p.field, "state.host.capital");
    assert!(p.message.contains("`attack`"), "{}", p.message);
    let span = p.span.clone().expect("a place in the file");
    assert_eq!(&text[span], "\"offensive\"");
}
