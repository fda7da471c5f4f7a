// scratch: not committed
use patronfall_model::*;
struct T<'w> {
    w: &'w World,
    from: u32,
    to: u32,
}
impl Observer for T<'_> {
    fn day(&mut self, day: u32, o: &DayOutcomes, s: &State) {
        if day < self.from || day > self.to {
            return;
        }
        let mut line = format!("d{day:3} cap={:.0} ", o.get(Outcome::CapitalHeld));
        for (g, gs) in s.groups.iter().enumerate() {
            line += &format!(
                "| {} act={:.0} m={:.2}/{:.2} al={:.2} E={:.0} ds={:.2} st={:?} ",
                self.w.groups[g].name.chars().take(8).collect::<String>(),
                gs.active,
                gs.morale,
                gs.morale_usual,
                gs.alarm,
                gs.effective,
                gs.desertion_share,
                gs.stance
            );
        }
        println!("{line}");
        for op in s.operations.iter().filter(|o| !o.over) {
            println!(
                "      op {:?}->{:?} reg={:?} start={} att={:.0}/{:.0} defpeak={:.0} then={:?}",
                op.attacker,
                op.defender,
                op.region,
                op.start_day,
                op.attacker_strength,
                op.attacker_start,
                op.defender_peak,
                op.then
            );
            println!("        ledger {:?}", op.defender_losses);
        }
    }
}
fn main() {
    let a: Vec<String> = std::env::args().collect();
    let sc = patronfall_scenario::load(std::path::Path::new(&a[1]))
        .unwrap_or_else(|e| panic!("{}", e.render()));
    let shock = if a[2] == "none" {
        None
    } else {
        sc.shock(&a[2])
    };
    let u: f64 = a.get(3).map(|x| x.parse().unwrap()).unwrap_or(-1.0);
    let world = if let Ok(row) = std::env::var("ROW") {
        let (file, n) = row.split_once(':').unwrap();
        let text = std::fs::read_to_string(file).unwrap();
        let mut lines = text.lines();
        let head: Vec<&str> = lines.next().unwrap().split(',').collect();
        let line: Vec<&str> = lines
            .nth(n.parse::<usize>().unwrap())
            .unwrap()
            .split(',')
            .collect();
        let v: Vec<f64> = sc
            .uncertainties
            .iter()
            .map(|x| {
                line[head.iter().position(|h| *h == x.path).unwrap()]
                    .parse()
                    .unwrap()
            })
            .collect();
        sc.world_with(&v)
    } else if u >= 0.0 {
        let v: Vec<f64> = sc.uncertainties.iter().map(|x| x.sample(u)).collect();
        sc.world_with(&v)
    } else {
        sc.world.clone()
    };
    let from: u32 = a.get(4).map(|x| x.parse().unwrap()).unwrap_or(0);
    let to: u32 = a.get(5).map(|x| x.parse().unwrap()).unwrap_or(10000);
    let mut t = T {
        w: &world,
        from,
        to,
    };
    let days = world.horizon_days;
    let r = run(
        RunSpec {
            world: &world,
            coa: sc.default_coa,
            shock,
            days,
            seed: 1,
        },
        &mut t,
    );
    println!("future {:?} capital_fell {:?}", r.future, r.capital_fell);
}
