//! KTAB's CSV format: row 1 `name, description, numActors, numDims[, …]`;
//! row 2 the header `Actor, Description, Power, <dim> , <sal>, …` (dimension
//! names come from the position columns); then one row per actor
//! `name, description, capability, pos_1, sal_1, …`. Fields may be quoted
//! and padded with spaces; trailing empty fields (the final comma KTAB
//! tolerates) are ignored. CSV files always use default parameters and the
//! identity accommodation matrix.

use crate::error::{InputError, NumberError};
use crate::params::SmpParams;
use crate::read::number;
use crate::scenario::{Actor, MAX_ACTORS, MIN_ACTORS, Scenario, check_actor};

/// Splits one line into trimmed fields; double quotes group commas and are removed.
fn fields(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    for ch in line.chars() {
        match ch {
            '"' => quoted = !quoted,
            ',' if !quoted => out.push(std::mem::take(&mut cur)),
            _ => cur.push(ch),
        }
    }
    out.push(cur);
    let mut out: Vec<String> = out.into_iter().map(|f| f.trim().to_string()).collect();
    while out.len() > 1 && out.last().is_some_and(|f| f.is_empty()) {
        out.pop();
    }
    out
}

/// Parses a KTAB CSV scenario; `file` names it in error messages.
pub fn parse(text: &str, file: &str) -> Result<Scenario, InputError> {
    let text = text.trim_start_matches('\u{feff}');
    let mut rows = text
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l))
        .filter(|(_, l)| !l.trim().trim_matches(',').trim().is_empty());

    let (line, first) = rows
        .next()
        .ok_or_else(|| InputError::whole(file, "the file is empty"))?;
    let head = fields(first);
    if head.len() < 4 {
        return Err(InputError::at(
            file,
            line,
            "the first row must be: scenario name, description, number of actors, number of dimensions",
        ));
    }
    let count = |text: &str, what: &str| -> Result<usize, InputError> {
        text.parse::<usize>().map_err(|_| {
            InputError::at(
                file,
                line,
                format!("{what} must be a whole number, not '{text}'"),
            )
        })
    };
    let num_actors = count(&head[2], "the number of actors")?;
    let num_dims = count(&head[3], "the number of dimensions")?;
    if !(MIN_ACTORS..=MAX_ACTORS).contains(&num_actors) {
        return Err(InputError::at(
            file,
            line,
            format!("the number of actors must be {MIN_ACTORS} to {MAX_ACTORS}, not {num_actors}"),
        ));
    }
    if num_dims == 0 {
        return Err(InputError::at(
            file,
            line,
            "the number of dimensions must be at least 1",
        ));
    }

    // Actor, description, power, then a position and a salience per
    // dimension; a count no row could hold is refused before it overflows.
    let Some(want) = num_dims.checked_mul(2).and_then(|n| n.checked_add(3)) else {
        return Err(InputError::at(
            file,
            line,
            format!("the number of dimensions, {num_dims}, is more than any row can hold"),
        ));
    };
    let (line, header) = rows.next().ok_or_else(|| {
        InputError::whole(
            file,
            "the header row (Actor, Description, Power, …) is missing",
        )
    })?;
    let header = fields(header);
    if header.len() != want {
        return Err(InputError::at(
            file,
            line,
            format!(
                "the header has {} columns; {num_dims} dimensions need {want} (Actor, Description, Power, then position and salience per dimension)",
                header.len()
            ),
        ));
    }
    let dimensions: Vec<String> = (0..num_dims).map(|k| header[3 + 2 * k].clone()).collect();

    let mut actors: Vec<Actor> = Vec::with_capacity(num_actors);
    for (line, row) in rows.by_ref() {
        let f = fields(row);
        if actors.len() == num_actors {
            return Err(InputError::at(
                file,
                line,
                format!("extra actor row: the first row declares {num_actors} actors"),
            ));
        }
        if f.len() != want {
            return Err(InputError::at(
                file,
                line,
                format!(
                    "an actor row needs {want} fields for {num_dims} dimensions, this one has {}",
                    f.len()
                ),
            ));
        }
        let at = |m: NumberError| InputError::at(file, line, m.to_string());
        let capability = number(&f[2], "the capability").map_err(at)?;
        let mut position = Vec::with_capacity(num_dims);
        let mut salience = Vec::with_capacity(num_dims);
        for k in 0..num_dims {
            position.push(number(&f[3 + 2 * k], &format!("position {}", k + 1)).map_err(at)?);
            salience.push(number(&f[4 + 2 * k], &format!("salience {}", k + 1)).map_err(at)?);
        }
        let actor = Actor {
            name: f[0].clone(),
            description: f[1].clone(),
            capability,
            position,
            salience,
        };
        check_actor(&actor, num_dims)
            .map_err(|m| InputError::at(file, line, format!("actor '{}': {m}", actor.name)))?;
        if actors.iter().any(|a| a.name == actor.name) {
            return Err(InputError::at(
                file,
                line,
                format!("actor name '{}' appears twice", actor.name),
            ));
        }
        actors.push(actor);
    }
    if actors.len() < num_actors {
        return Err(InputError::whole(
            file,
            format!(
                "missing actors: the first row declares {num_actors} actors but only {} rows follow",
                actors.len()
            ),
        ));
    }
    Ok(Scenario {
        name: head[0].clone(),
        description: head[1].clone(),
        dimensions,
        actors,
        params: SmpParams::default(),
        seed: None,
        affinities: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "Demo ,\"A demo, quoted\",3,1,\n\
        Actor,Description,Power,Pos,Sal,\n\
        A, first, 10, 20, 50,\n\
        B, second, 20, 40, 60,\n\
        C, third, 30, 80, 70,\n";

    #[test]
    fn reads_trailing_commas_and_quotes() {
        let s = parse(GOOD, "demo.csv").unwrap();
        assert_eq!(s.description, "A demo, quoted");
        assert_eq!(s.dimensions, vec!["Pos"]);
        assert_eq!(s.actors[2].position, vec![80.0]);
        assert_eq!(s.actors[1].capability, 20.0);
    }

    fn err(text: &str) -> String {
        parse(text, "bad.csv").unwrap_err().to_string()
    }

    #[test]
    fn errors_name_file_line_and_problem() {
        let e = err(&GOOD.replace("C, third, 30, 80, 70,", "C, third, 30, 80, 170,"));
        assert!(
            e.starts_with("bad.csv:5:") && e.contains("salience 1 is 170"),
            "{e}"
        );
        let e = err(&GOOD.replace("B, second, 20, 40, 60,", "B, second, lots, 40, 60,"));
        assert!(
            e.starts_with("bad.csv:4:") && e.contains("capability must be a number"),
            "{e}"
        );
        let e = err(&GOOD.replace("C, third, 30, 80, 70,\n", ""));
        assert!(e.contains("missing actors"), "{e}");
        let e = err(&format!("{GOOD}D, fourth, 1, 1, 1,\n"));
        assert!(
            e.starts_with("bad.csv:6:") && e.contains("extra actor"),
            "{e}"
        );
        let e = err(&GOOD.replace(",3,1,", ",three,1,"));
        assert!(
            e.starts_with("bad.csv:1:") && e.contains("whole number"),
            "{e}"
        );
        let e = err(&GOOD.replace("A, first, 10, 20, 50,", "A, first, 10, 20,"));
        assert!(
            e.starts_with("bad.csv:3:") && e.contains("needs 5 fields"),
            "{e}"
        );
        let e = err(&GOOD.replace("Pos,Sal,", "Pos,"));
        assert!(e.starts_with("bad.csv:2:"), "{e}");
        // Found by the fuzz harness: a dimension count whose columns
        // overflow a machine word.
        let e = err(&GOOD.replace(",3,1,", ",3,9223372036854775808,"));
        assert!(
            e.starts_with("bad.csv:1:") && e.contains("more than any row can hold"),
            "{e}"
        );
    }

    #[test]
    fn salience_sum_above_100_is_rejected() {
        let text = "X,Y,3,2\nActor,D,P,a,sa,b,sb\n\
            A,d,1,10,60,10,50\nB,d,1,20,10,10,10\nC,d,1,30,10,10,10\n";
        let e = err(text);
        assert!(
            e.starts_with("bad.csv:3:") && e.contains("sum to 110"),
            "{e}"
        );
    }
}
