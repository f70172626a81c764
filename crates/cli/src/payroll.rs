//! `ensemble payroll …`: payslip simulations, one case from flags or many as JSON Lines.

use std::io::{BufRead, BufWriter, Write};
use std::path::PathBuf;

use clap::{Args, Subcommand, ValueEnum};
use ensemble_domain::{Country, Lang, Money, Month, Rate};
use ensemble_payroll::{CaseInput, Engine, LineKind, PayrollError, Payslip, PayslipJson};
use serde::Serialize;
use serde_json::value::RawValue;

use crate::Failure;

#[derive(Subcommand)]
pub enum PayrollCommand {
    /// Compute a payslip from a gross salary, a wanted net or an activity budget.
    ///
    /// With --batch, read one case per line of JSON on stdin (keys named like the flags:
    /// country, month, gross | net | budget, status, contract, hours, days, headcount,
    /// accident_rate, mobility_rate, tax_rate, children, alsace_moselle, short_contract, and an optional
    /// id echoed back) and write one JSON result per line; a bad case gives
    /// {"id", "error": {"field", "message"}} on its line and the batch goes on.
    Simulate(Box<SimulateArgs>),
    /// List the rule packs, or every parameter in force in a month with its official source.
    Rules(RulesArgs),
}

#[derive(Clone, Copy, ValueEnum)]
pub enum Format {
    Table,
    Json,
}

#[derive(Args)]
pub struct SimulateArgs {
    /// fr or be.
    #[arg(long)]
    country: Option<String>,
    /// The month of the payslip, YYYY-MM: it chooses the rule pack.
    #[arg(long)]
    month: Option<String>,
    /// Gross salary of the month (France, CDD: before the 10 % end-of-contract indemnity).
    #[arg(long, group = "amount", allow_hyphen_values = true)]
    gross: Option<String>,
    /// Wanted net: before income tax in France, after withholding tax in Belgium.
    #[arg(long, group = "amount", allow_hyphen_values = true)]
    net: Option<String>,
    /// Activity budget for the salary: the employer cost it can pay.
    #[arg(long, group = "amount", allow_hyphen_values = true)]
    budget: Option<String>,
    /// non-cadre | cadre (France), employee | worker | artist (Belgium).
    #[arg(long)]
    status: Option<String>,
    /// cdi | cdd | cdd-usage (France), daily | cdi | cdd (Belgium).
    #[arg(long)]
    contract: Option<String>,
    /// Paid hours in the month: part time in France, hours worked in Belgium.
    #[arg(long)]
    hours: Option<String>,
    /// Contract days in the month (Belgian daily contracts).
    #[arg(long)]
    days: Option<i64>,
    /// Employer headcount (default 100): rates change at 11, 50, 250 and 2000 in France.
    #[arg(long)]
    headcount: Option<i64>,
    /// Work-accident rate in percent notified to the employer (France).
    #[arg(long)]
    accident_rate: Option<String>,
    /// Versement mobilité rate in percent (France).
    #[arg(long)]
    mobility_rate: Option<String>,
    /// Personal withholding-tax rate in percent, when the tax office gave one.
    #[arg(long)]
    tax_rate: Option<String>,
    /// Belgium: dependent children, for the withholding tax.
    #[arg(long)]
    children: Option<i64>,
    /// France: the employee is under the Alsace-Moselle health scheme.
    #[arg(long)]
    alsace_moselle: bool,
    /// France: a contract of at most two months (withholding-tax allowance).
    #[arg(long)]
    short_contract: bool,
    /// Output: a readable table or one JSON object.
    #[arg(long, value_enum, default_value = "table")]
    format: Format,
    /// Language of the line labels: en, fr or nl.
    #[arg(long, default_value = "en")]
    lang: String,
    /// Read cases as JSON Lines on stdin and write results as JSON Lines on stdout.
    #[arg(long, conflicts_with_all = ["country", "month", "amount", "status", "contract", "hours", "days", "headcount", "accident_rate", "mobility_rate", "tax_rate", "children", "alsace_moselle", "short_contract", "format"])]
    batch: bool,
    /// Use the rule packs of this directory (DIR/fr/*.toml, DIR/be/*.toml) instead of the
    /// embedded ones.
    #[arg(long, value_name = "DIR")]
    rules: Option<PathBuf>,
}

#[derive(Args)]
pub struct RulesArgs {
    /// fr or be; both when omitted.
    #[arg(long)]
    country: Option<String>,
    /// Show every parameter in force in this month (YYYY-MM), with its value and source.
    #[arg(long)]
    month: Option<String>,
    /// Use the rule packs of this directory instead of the embedded ones.
    #[arg(long, value_name = "DIR")]
    rules: Option<PathBuf>,
}

pub fn run(command: PayrollCommand) -> Result<(), Failure> {
    match command {
        PayrollCommand::Simulate(args) => simulate(*args),
        PayrollCommand::Rules(args) => rules(args),
    }
}

fn engine(dir: Option<&PathBuf>) -> Result<std::borrow::Cow<'static, Engine>, Failure> {
    match dir {
        None => Ok(std::borrow::Cow::Borrowed(Engine::embedded())),
        Some(d) => Engine::from_dir(d)
            .map(std::borrow::Cow::Owned)
            .map_err(|e| Failure::input(e.to_string())),
    }
}

fn simulate(args: SimulateArgs) -> Result<(), Failure> {
    let lang: Lang = args
        .lang
        .parse()
        .map_err(|e: ensemble_domain::LangError| Failure::input(e.to_string()))?;
    let engine = engine(args.rules.as_ref())?;
    if args.batch {
        return batch(&engine, lang);
    }
    let field = |name: &'static str, e: String| Failure::input(format!("{name}: {e}"));
    let money = |name: &'static str, v: &Option<String>| -> Result<Option<Money>, Failure> {
        v.as_deref()
            .map(|s| s.parse::<Money>().map_err(|e| field(name, e.to_string())))
            .transpose()
    };
    let rate = |name: &'static str, v: &Option<String>| -> Result<Option<Rate>, Failure> {
        v.as_deref()
            .map(|s| Rate::parse_percent(s).map_err(|e| field(name, e.to_string())))
            .transpose()
    };
    let input = CaseInput::<()> {
        id: None,
        country: args.country.clone(),
        month: args.month.clone(),
        gross: money("gross", &args.gross)?,
        net: money("net", &args.net)?,
        budget: money("budget", &args.budget)?,
        status: args.status.clone(),
        contract: args.contract.clone(),
        hours: money("hours", &args.hours)?,
        days: args.days,
        headcount: args.headcount,
        accident_rate: rate("accident_rate", &args.accident_rate)?,
        mobility_rate: rate("mobility_rate", &args.mobility_rate)?,
        tax_rate: rate("tax_rate", &args.tax_rate)?,
        children: args.children,
        alsace_moselle: args.alsace_moselle,
        short_contract: args.short_contract,
    };
    let slip = input
        .into_case()
        .and_then(|case| engine.compute(&case))
        .map_err(|e| Failure::input(e.to_string()))?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let written = match args.format {
        Format::Json => {
            let json = PayslipJson {
                id: None,
                slip: &slip,
                lang,
            }
            .to_json();
            // Indented for a reader; the batch writes the compact form.
            serde_json::from_str::<serde_json::Value>(&json)
                .and_then(|v| serde_json::to_writer_pretty(&mut out, &v))
                .map_err(std::io::Error::from)
                .and_then(|()| writeln!(out))
        }
        Format::Table => write_table(&mut out, &slip, lang),
    };
    written.map_err(|e| Failure::io(format!("cannot write the result: {e}")))
}

/// The error object a batch writes on the line of a bad case.
#[derive(Serialize)]
struct BatchError<'a> {
    id: Option<&'a RawValue>,
    error: ErrorBody<'a>,
}

#[derive(Serialize)]
struct ErrorBody<'a> {
    field: &'a str,
    message: String,
}

/// Cases per chunk handed to a worker thread.
const CHUNK: usize = 4096;

fn batch(engine: &Engine, lang: Lang) -> Result<(), Failure> {
    let stdin = std::io::stdin();
    let mut input = stdin.lock();
    let stdout = std::io::stdout();
    let mut out = BufWriter::with_capacity(1 << 20, stdout.lock());
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 8);
    let io = |e: std::io::Error| Failure::io(format!("batch: {e}"));
    let mut line_no = 0usize;
    loop {
        // Read up to `threads` chunks, compute them in parallel, write them in order.
        let mut chunks: Vec<Vec<String>> = Vec::with_capacity(threads);
        let mut eof = false;
        for _ in 0..threads {
            let mut chunk = Vec::with_capacity(CHUNK);
            while chunk.len() < CHUNK {
                let mut line = String::new();
                if input.read_line(&mut line).map_err(io)? == 0 {
                    eof = true;
                    break;
                }
                chunk.push(line);
            }
            if !chunk.is_empty() {
                chunks.push(chunk);
            }
            if eof {
                break;
            }
        }
        let outputs: Vec<Vec<u8>> = std::thread::scope(|scope| {
            let handles: Vec<_> = chunks
                .iter()
                .map(|chunk| scope.spawn(move || run_chunk(engine, lang, chunk)))
                .collect();
            handles
                .into_iter()
                .map(|h| {
                    h.join().unwrap_or_else(|_| {
                        b"{\"error\":{\"field\":\"\",\"message\":\"internal error\"}}\n".to_vec()
                    })
                })
                .collect()
        });
        for (chunk, bytes) in chunks.iter().zip(&outputs) {
            line_no += chunk.len();
            out.write_all(bytes).map_err(io)?;
        }
        if eof {
            break;
        }
    }
    let _ = line_no;
    out.flush().map_err(io)
}

/// Computes a chunk of JSON lines into JSON lines.
fn run_chunk(engine: &Engine, lang: Lang, lines: &[String]) -> Vec<u8> {
    let mut buf = Vec::with_capacity(lines.len() * 3000);
    for line in lines {
        let text = line.trim();
        if text.is_empty() {
            continue;
        }
        match serde_json::from_str::<CaseInput<Box<RawValue>>>(text) {
            Err(e) => {
                // Keep the id of a case whose other fields are wrong, when it can be read.
                let id = serde_json::from_str::<IdOnly>(text).ok().and_then(|i| i.id);
                let (field, message) = json_error_field(&e);
                write_error(&mut buf, id.as_deref(), field, message);
            }
            Ok(mut input) => {
                let id = input.id.take();
                match input.into_case().and_then(|case| engine.compute(&case)) {
                    Ok(slip) => {
                        PayslipJson {
                            id: id.as_deref().map(RawValue::get),
                            slip: &slip,
                            lang,
                        }
                        .write(&mut buf);
                        buf.push(b'\n');
                    }
                    Err(e) => write_error(&mut buf, id.as_deref(), e.field(), payroll_message(&e)),
                }
            }
        }
    }
    buf
}

#[derive(serde::Deserialize)]
struct IdOnly {
    id: Option<Box<RawValue>>,
}

fn payroll_message(e: &PayrollError) -> String {
    match e {
        PayrollError::Invalid { message, .. } | PayrollError::Unreachable { message, .. } => {
            message.clone()
        }
        other => other.to_string(),
    }
}

/// The field a JSON decoding error is about, when serde names it.
fn json_error_field(e: &serde_json::Error) -> (&'static str, String) {
    let text = e.to_string();
    const FIELDS: &[&str] = &[
        "country",
        "month",
        "gross",
        "net",
        "budget",
        "status",
        "contract",
        "hours",
        "days",
        "headcount",
        "accident_rate",
        "mobility_rate",
        "tax_rate",
        "children",
        "alsace_moselle",
        "short_contract",
        "id",
    ];
    let field = FIELDS
        .iter()
        .find(|f| text.contains(&format!("`{f}`")))
        .copied()
        .unwrap_or("");
    (field, text)
}

fn write_error(buf: &mut Vec<u8>, id: Option<&RawValue>, field: &str, message: String) {
    let err = BatchError {
        id,
        error: ErrorBody { field, message },
    };
    // Serialising plain strings into a Vec cannot fail.
    let _ = serde_json::to_writer(&mut *buf, &err);
    buf.push(b'\n');
}

/// Words of the table around the line labels, in the table's language.
fn word(key: &str, lang: Lang) -> &'static str {
    const WORDS: &[(&str, &str, &str, &str)] = &[
        ("line", "Line", "Rubrique", "Rubriek"),
        ("base", "Base", "Base", "Basis"),
        ("employee_rate", "Emp. rate", "Taux sal.", "Voet wn."),
        ("employee", "Employee", "Salarié", "Werknemer"),
        ("employer_rate", "Er rate", "Taux pat.", "Voet wg."),
        ("employer", "Employer", "Employeur", "Werkgever"),
        ("gross", "Gross", "Brut", "Bruto"),
        (
            "employee_contributions",
            "Employee contributions",
            "Cotisations salariales",
            "Werknemersbijdragen",
        ),
        (
            "net_social",
            "Net social amount",
            "Montant net social",
            "Sociaal nettobedrag",
        ),
        (
            "net_before_tax",
            "Net before income tax",
            "Net avant impôt",
            "Netto voor belasting",
        ),
        ("net_taxable", "Net taxable", "Net imposable", "Belastbaar"),
        (
            "withholding_tax",
            "Withholding tax",
            "Impôt prélevé à la source",
            "Bedrijfsvoorheffing",
        ),
        ("net_paid", "Net paid", "Net payé", "Netto uitbetaald"),
        (
            "employer_contributions",
            "Employer contributions",
            "Cotisations patronales",
            "Werkgeversbijdragen",
        ),
        (
            "employer_reliefs",
            "Employer reliefs",
            "Allègements patronaux",
            "Verminderingen werkgever",
        ),
        (
            "employer_cost",
            "Employer cost",
            "Coût employeur",
            "Loonkost werkgever",
        ),
        ("note", "Note", "Remarque", "Opmerking"),
    ];
    WORDS
        .iter()
        .find(|w| w.0 == key)
        .map_or("", |(_, en, fr, nl)| match lang {
            Lang::En => en,
            Lang::Fr => fr,
            Lang::Nl => nl,
        })
}

fn write_table(out: &mut impl Write, slip: &Payslip, lang: Lang) -> std::io::Result<()> {
    let t = &slip.totals;
    writeln!(
        out,
        "{} · {} · {} · {}",
        slip.country.name(),
        slip.month,
        slip.status,
        slip.contract
    )?;
    let width = slip
        .lines
        .iter()
        .map(|l| l.label(lang).chars().count())
        .max()
        .unwrap_or(10)
        .max(28);
    let pad = |s: &str| {
        let n = s.chars().count();
        format!("{s}{}", " ".repeat(width.saturating_sub(n)))
    };
    let right = |s: &str, w: usize| {
        let n = s.chars().count();
        format!("{}{s}", " ".repeat(w.saturating_sub(n)))
    };
    let rate = |r: Option<Rate>| r.map_or(String::new(), |r| format!("{r} %"));
    let shown = |amount: Money, rate: Option<Rate>| {
        if amount == Money::ZERO && rate.is_none() {
            String::new()
        } else {
            amount.to_string()
        }
    };
    writeln!(
        out,
        "{}  {}  {}  {}  {}  {}",
        pad(word("line", lang)),
        right(word("base", lang), 12),
        right(word("employee_rate", lang), 9),
        right(word("employee", lang), 11),
        right(word("employer_rate", lang), 9),
        right(word("employer", lang), 11)
    )?;
    for l in &slip.lines {
        let (employee, employer) = match l.kind {
            LineKind::Earning => (l.employee_amount.to_string(), String::new()),
            _ => (
                shown(l.employee_amount, l.employee_rate),
                shown(l.employer_amount, l.employer_rate),
            ),
        };
        writeln!(
            out,
            "{}  {:>12}  {:>9}  {:>11}  {:>9}  {:>11}",
            pad(l.label(lang)),
            l.base.to_string(),
            rate(l.employee_rate),
            employee,
            rate(l.employer_rate),
            employer
        )?;
    }
    writeln!(out)?;
    let rows: [(&str, Money); 10] = [
        ("gross", t.gross),
        ("employee_contributions", t.employee_contributions),
        ("net_social", t.net_social),
        ("net_before_tax", t.net_before_tax),
        ("net_taxable", t.net_taxable),
        ("withholding_tax", t.withholding_tax),
        ("net_paid", t.net_paid),
        ("employer_contributions", t.employer_contributions),
        ("employer_reliefs", t.employer_reliefs),
        ("employer_cost", t.employer_cost),
    ];
    for (key, amount) in rows {
        writeln!(out, "{}{:>14}", pad(word(key, lang)), amount.to_string())?;
    }
    if let Some(note) = &slip.note {
        writeln!(out, "\n{}: {note}", word("note", lang))?;
    }
    Ok(())
}

fn rules(args: RulesArgs) -> Result<(), Failure> {
    let engine = engine(args.rules.as_ref())?;
    let countries: Vec<Country> =
        match &args.country {
            Some(c) => vec![c.parse().map_err(|e: ensemble_domain::CountryError| {
                Failure::input(format!("country: {e}"))
            })?],
            None => Country::ALL.to_vec(),
        };
    let month: Option<Month> = args
        .month
        .as_deref()
        .map(|m| {
            m.parse()
                .map_err(|e: ensemble_domain::MonthError| Failure::input(format!("month: {e}")))
        })
        .transpose()?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let io = |e: std::io::Error| Failure::io(e.to_string());
    for country in countries {
        match month {
            None => {
                for p in engine.packs(country) {
                    writeln!(
                        out,
                        "{}  {} to {}  {}",
                        p.name, p.valid_from, p.valid_until, p.title
                    )
                    .map_err(io)?;
                }
            }
            Some(m) => {
                let params = engine
                    .parameters(country, m)
                    .map_err(|e| Failure::input(e.to_string()))?;
                writeln!(out, "{} — {m}", country.name()).map_err(io)?;
                for p in params {
                    writeln!(
                        out,
                        "  {:<38} {:>14}  from {}  — {}",
                        p.name, p.value, p.from, p.source
                    )
                    .map_err(io)?;
                }
            }
        }
    }
    Ok(())
}
