//! KTAB's XML format (`smpSchema.xsd`): `<Scenario>` with `<name>`,
//! `<desc>`, `<prngSeed>`, optional `<ModelParameters>` (one child per KTAB
//! parameter name; missing ones keep their defaults, where KTAB requires
//! all nine), `<Dimensions><dName>…`, `<Actors><Actor>` with `<name>`,
//! `<description>`, `<capability>`, `<Position><dCoord>…` and
//! `<Salience><dSal>…`, and optional `<IdealAdjustment><iaPair>` entries
//! (`adjustingIdeal`, `referencePos`, `adjust`) for the accommodation matrix.

use roxmltree::{Document, Node};

use crate::error::InputError;
use crate::params::SmpParams;
use crate::read::number;
use crate::scenario::{Actor, Affinity, MAX_ACTORS, MIN_ACTORS, Scenario, check_actor};

struct Ctx<'a> {
    file: &'a str,
    doc: &'a Document<'a>,
}

impl Ctx<'_> {
    fn line(&self, node: Node) -> usize {
        self.doc.text_pos_at(node.range().start).row as usize
    }

    fn err(&self, node: Node, msg: impl Into<String>) -> InputError {
        InputError::at(self.file, self.line(node), msg)
    }

    fn child<'b>(
        &self,
        node: Node<'b, 'b>,
        name: &'static str,
    ) -> Result<Node<'b, 'b>, InputError> {
        elements(node, name).next().ok_or_else(|| {
            self.err(
                node,
                format!("<{}> has no <{name}> element", node.tag_name().name()),
            )
        })
    }

    fn text<'b>(&self, node: Node<'b, 'b>) -> &'b str {
        node.text().unwrap_or("").trim()
    }

    fn num(&self, node: Node, what: &str) -> Result<f64, InputError> {
        number(self.text(node), what).map_err(|m| self.err(node, m.to_string()))
    }
}

fn elements<'b>(node: Node<'b, 'b>, name: &'static str) -> impl Iterator<Item = Node<'b, 'b>> {
    node.children()
        .filter(move |c| c.is_element() && c.tag_name().name() == name)
}

/// Parses a KTAB XML scenario; `file` names it in error messages.
pub fn parse(text: &str, file: &str) -> Result<Scenario, InputError> {
    let text = text.trim_start_matches('\u{feff}');
    let doc = Document::parse(text).map_err(|e| {
        let pos = e.pos();
        InputError::at(file, pos.row as usize, format!("not well-formed XML: {e}"))
    })?;
    let cx = Ctx { file, doc: &doc };
    let root = doc.root_element();
    if root.tag_name().name() != "Scenario" {
        return Err(cx.err(
            root,
            format!(
                "the root element must be <Scenario>, not <{}>",
                root.tag_name().name()
            ),
        ));
    }
    let name = cx.text(cx.child(root, "name")?).to_string();
    let description = elements(root, "desc")
        .next()
        .map(|n| cx.text(n).to_string())
        .unwrap_or_default();
    let seed = match elements(root, "prngSeed").next() {
        None => None,
        Some(n) => Some(cx.text(n).parse::<u64>().map_err(|_| {
            cx.err(
                n,
                format!(
                    "<prngSeed> must be a whole number below 2^64, not '{}'",
                    cx.text(n)
                ),
            )
        })?),
    };

    let mut params = SmpParams::default();
    if let Some(mp) = elements(root, "ModelParameters").next() {
        for p in mp.children().filter(|c| c.is_element()) {
            params
                .set(p.tag_name().name(), cx.text(p))
                .map_err(|m| cx.err(p, m.to_string()))?;
        }
    }

    let dims_el = cx.child(root, "Dimensions")?;
    let dimensions: Vec<String> = elements(dims_el, "dName")
        .map(|n| cx.text(n).to_string())
        .collect();
    if dimensions.is_empty() {
        return Err(cx.err(dims_el, "<Dimensions> lists no <dName>"));
    }
    let nd = dimensions.len();

    let actors_el = cx.child(root, "Actors")?;
    let mut actors: Vec<Actor> = Vec::new();
    let mut actor_nodes = Vec::new();
    for a in elements(actors_el, "Actor") {
        let name = cx.text(cx.child(a, "name")?).to_string();
        let description = elements(a, "description")
            .next()
            .map(|n| cx.text(n).to_string())
            .unwrap_or_default();
        let capability = cx.num(cx.child(a, "capability")?, "the capability")?;
        let read_list = |parent: &'static str,
                         item: &'static str,
                         what: &str|
         -> Result<Vec<f64>, InputError> {
            let p = cx.child(a, parent)?;
            let values = elements(p, item)
                .enumerate()
                .map(|(k, n)| cx.num(n, &format!("{what} {} of actor '{name}'", k + 1)))
                .collect::<Result<Vec<f64>, InputError>>()?;
            if values.len() != nd {
                return Err(cx.err(
                    p,
                    format!(
                        "actor '{name}' has {} <{item}> values; there are {nd} dimensions",
                        values.len()
                    ),
                ));
            }
            Ok(values)
        };
        let position = read_list("Position", "dCoord", "position")?;
        let salience = read_list("Salience", "dSal", "salience")?;
        let actor = Actor {
            name,
            description,
            capability,
            position,
            salience,
        };
        check_actor(&actor, nd).map_err(|m| cx.err(a, format!("actor '{}': {m}", actor.name)))?;
        if actors.iter().any(|b| b.name == actor.name) {
            return Err(cx.err(a, format!("actor name '{}' appears twice", actor.name)));
        }
        actors.push(actor);
        actor_nodes.push(a);
    }
    if !(MIN_ACTORS..=MAX_ACTORS).contains(&actors.len()) {
        return Err(cx.err(
            actors_el,
            format!(
                "a scenario needs {MIN_ACTORS} to {MAX_ACTORS} actors, this one has {}",
                actors.len()
            ),
        ));
    }

    let mut affinities = Vec::new();
    if let Some(ia) = elements(root, "IdealAdjustment").next() {
        for pair in elements(ia, "iaPair") {
            let find = |tag: &'static str| -> Result<usize, InputError> {
                let n = cx.child(pair, tag)?;
                let who = cx.text(n);
                actors
                    .iter()
                    .position(|a| a.name == who)
                    .ok_or_else(|| cx.err(n, format!("<{tag}> names '{who}', who is not an actor")))
            };
            let actor = find("adjustingIdeal")?;
            let toward = find("referencePos")?;
            let rate_el = cx.child(pair, "adjust")?;
            let rate = cx.num(rate_el, "<adjust>")?;
            if !(0.0..=1.0).contains(&rate) {
                return Err(cx.err(rate_el, format!("<adjust> must lie in [0, 1], not {rate}")));
            }
            affinities.retain(|f: &Affinity| !(f.actor == actor && f.toward == toward));
            affinities.push(Affinity {
                actor,
                toward,
                rate,
            });
        }
    }
    let scenario = Scenario {
        name,
        description,
        dimensions,
        actors,
        params,
        seed,
        affinities,
    };
    scenario
        .validate()
        .map_err(|m| InputError::at(file, cx.line(root), m.to_string()))?;
    Ok(scenario)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(coord: &str, extra: &str) -> String {
        format!(
            "<?xml version=\"1.0\"?>\n<Scenario>\n<name>T</name><desc>d</desc><prngSeed>7</prngSeed>\n\
             <ModelParameters><VotingRule>PropCbc</VotingRule>{extra}</ModelParameters>\n\
             <Dimensions><dName>X</dName></Dimensions>\n<Actors>\n\
             <Actor><name>A</name><description/><capability>1</capability>\n\
             <Position><dCoord>{coord}</dCoord></Position><Salience><dSal>50</dSal></Salience></Actor>\n\
             <Actor><name>B</name><capability>2</capability><Position><dCoord>40</dCoord></Position><Salience><dSal>50</dSal></Salience></Actor>\n\
             <Actor><name>C</name><capability>3</capability><Position><dCoord>90</dCoord></Position><Salience><dSal>50</dSal></Salience></Actor>\n\
             </Actors>\n<IdealAdjustment><iaPair><adjustingIdeal>A</adjustingIdeal><referencePos>A</referencePos><adjust>0.7</adjust></iaPair><iaPair><adjustingIdeal>A</adjustingIdeal><referencePos>B</referencePos><adjust>0.2</adjust></iaPair></IdealAdjustment>\n</Scenario>\n"
        )
    }

    #[test]
    fn reads_parameters_seed_and_affinities() {
        let s = parse(&doc("10", ""), "t.xml").unwrap();
        assert_eq!(s.seed, Some(7));
        assert_eq!(s.params.voting_rule, crate::params::VotingRule::PropCbc);
        assert_eq!(
            s.affinities[1],
            Affinity {
                actor: 0,
                toward: 1,
                rate: 0.2
            }
        );
        let a = s.accommodation();
        assert_eq!(&a[0..3], &[0.7, 0.2, 0.0]);
        assert_eq!(&a[3..6], &[0.0, 1.0, 0.0]);
    }

    #[test]
    fn errors_point_at_the_line() {
        let e = parse(&doc("", ""), "t.xml").unwrap_err().to_string();
        assert!(
            e.starts_with("t.xml:8:") && e.contains("position 1 of actor 'A' is empty"),
            "{e}"
        );
        let e = parse(&doc("abc", ""), "t.xml").unwrap_err().to_string();
        assert!(e.contains("must be a number"), "{e}");
        let e = parse(&doc("10", "<PCEModel>Psychic</PCEModel>"), "t.xml")
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("t.xml:4:") && e.contains("MarkovIncentive"),
            "{e}"
        );
        let e = parse("<Scenario><name>", "t.xml").unwrap_err().to_string();
        assert!(e.contains("not well-formed"), "{e}");
    }
}
