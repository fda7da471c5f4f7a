//! Times runs of a scenario: `cargo run --release -p patronfall-ensemble --example timeit -- [SCENARIO] [N]`.
use patronfall_model::{CoaId, Quiet, RunSpec, run};
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let name = args.get(1).map_or("iraq-after-tehran", String::as_str);
    let n: u64 = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(50);
    let s = patronfall_scenario::open(name).unwrap_or_else(|e| panic!("{}", e.render()));
    for c in 0..s.ids.coas.len() {
        let t = std::time::Instant::now();
        for seed in 0..n {
            std::hint::black_box(run(
                RunSpec {
                    world: &s.world,
                    coa: CoaId::at(c),
                    shock: s.default_shock,
                    days: 365,
                    seed,
                },
                &mut Quiet,
            ));
        }
        println!(
            "{:24} {:.2} ms/run",
            s.ids.coas[c],
            t.elapsed().as_secs_f64() * 1000.0 / n as f64
        );
    }
}
