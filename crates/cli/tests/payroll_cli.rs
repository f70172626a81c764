//! The `ensemble payroll` commands as a user runs them: exit codes, stdout, stderr.

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn ensemble(args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_ensemble"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    {
        let mut input = child.stdin.take().expect("stdin");
        if let Some(text) = stdin {
            input.write_all(text.as_bytes()).expect("write stdin");
        }
    }
    child.wait_with_output().expect("the binary ends")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("utf-8")
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).expect("utf-8")
}

#[test]
fn simulate_prints_a_json_payslip() {
    let o = ensemble(
        &[
            "payroll",
            "simulate",
            "--country",
            "fr",
            "--month",
            "2026-01",
            "--gross",
            "2500",
            "--headcount",
            "5000",
            "--format",
            "json",
        ],
        None,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("JSON");
    assert_eq!(v["gross"], "2500.00");
    assert_eq!(v["net_before_tax"], "1978.99");
    assert_eq!(v["employer_cost"], "3151.65");
    assert_eq!(v["withholding_tax"], "71.76");
    assert_eq!(v["net_paid"], "1907.23");
    let lines = v["lines"].as_array().expect("lines");
    let health = lines
        .iter()
        .find(|l| l["code"] == "fr.health")
        .expect("health line");
    assert_eq!(health["employer_rate"], "13.00");
    assert_eq!(health["employer_amount"], "325.00");
    assert_eq!(health["employee_rate"], serde_json::Value::Null);
}

#[test]
fn simulate_prints_a_table_in_the_chosen_language() {
    let o = ensemble(
        &[
            "payroll",
            "simulate",
            "--country",
            "fr",
            "--month",
            "2026-01",
            "--net",
            "1978.99",
            "--lang",
            "fr",
        ],
        None,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(text.contains("Sécurité sociale plafonnée"), "{text}");
    let net = text
        .lines()
        .find(|l| l.starts_with("Net avant impôt"))
        .expect("a net line");
    assert!(net.ends_with(" 1978.99"), "{text}");
}

#[test]
fn bad_input_exits_2_with_the_message_on_stderr() {
    for (args, message) in [
        (
            vec!["--country", "fr", "--month", "2026-01", "--gross", "-5"],
            "gross: -5.00 must be more than 0",
        ),
        (
            vec!["--country", "xx", "--month", "2026-01", "--gross", "2500"],
            "country: unknown country \"xx\"",
        ),
        (
            vec!["--country", "fr", "--month", "2031-01", "--gross", "2500"],
            "month: no fr rule pack covers 2031-01",
        ),
        (
            vec![
                "--country",
                "fr",
                "--month",
                "2026-01",
                "--gross",
                "2500",
                "--hours",
                "300",
            ],
            "hours: 300.00 h a month exceeds the legal maximum",
        ),
        (
            vec!["--country", "fr", "--month", "2026-01", "--gross", "abc"],
            "gross: \"abc\" is not an amount",
        ),
        (
            vec![
                "--country",
                "fr",
                "--month",
                "2026-01",
                "--gross",
                "99999999",
            ],
            "gross: 99999999.00 is not a plausible monthly amount",
        ),
    ] {
        let mut full = vec!["payroll", "simulate"];
        full.extend(args);
        let o = ensemble(&full, None);
        assert_eq!(o.status.code(), Some(2), "{full:?}");
        assert!(stdout(&o).is_empty());
        assert!(stderr(&o).contains(message), "{full:?}: {}", stderr(&o));
    }
    // Two amounts at once: clap refuses, also with exit code 2.
    let o = ensemble(
        &[
            "payroll",
            "simulate",
            "--country",
            "fr",
            "--month",
            "2026-01",
            "--gross",
            "1",
            "--net",
            "1",
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn batch_answers_each_line_and_goes_on_after_a_bad_one() {
    let input = concat!(
        r#"{"id": 1, "country": "fr", "month": "2026-01", "gross": 2500, "headcount": 5000}"#,
        "\n",
        r#"{"id": "two", "country": "fr", "month": "2026-01", "gross": -3}"#,
        "\n",
        "not json\n",
        "\n",
        r#"{"id": {"ref": 4}, "country": "fr", "month": "2026-01", "budget": "3151.65", "headcount": 5000}"#,
        "\n",
        r#"{"id": 5, "country": "fr", "month": "2026-01", "gross": 2500, "shoe_size": 42}"#,
        "\n",
    );
    let o = ensemble(&["payroll", "simulate", "--batch"], Some(input));
    assert!(o.status.success(), "{}", stderr(&o));
    let lines: Vec<serde_json::Value> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).expect("each output line is JSON"))
        .collect();
    assert_eq!(lines.len(), 5, "one result per non-empty input line");
    assert_eq!(lines[0]["id"], 1);
    assert_eq!(lines[0]["net_before_tax"], "1978.99");
    assert_eq!(lines[1]["id"], "two");
    assert_eq!(lines[1]["error"]["field"], "gross");
    assert_eq!(lines[1]["error"]["message"], "-3.00 must be more than 0");
    assert_eq!(lines[2]["id"], serde_json::Value::Null);
    assert!(
        lines[2]["error"]["message"]
            .as_str()
            .expect("message")
            .contains("expected")
    );
    assert_eq!(lines[3]["id"]["ref"], 4);
    assert_eq!(lines[3]["employer_cost"], "3151.65");
    assert_eq!(lines[3]["gross"], "2500.00");
    assert_eq!(lines[4]["id"], 5);
    assert!(
        lines[4]["error"]["message"]
            .as_str()
            .expect("message")
            .contains("shoe_size")
    );
}

#[test]
fn rules_lists_packs_and_parameters_with_sources() {
    let o = ensemble(&["payroll", "rules"], None);
    assert!(o.status.success());
    let text = stdout(&o);
    assert!(
        text.contains("rules/fr/2025.toml  2025-01-01 to 2025-12-31"),
        "{text}"
    );
    assert!(text.contains("rules/fr/2026.toml"), "{text}");
    assert!(text.contains("rules/be/2026.toml"), "{text}");
    let o = ensemble(
        &["payroll", "rules", "--country", "fr", "--month", "2026-07"],
        None,
    );
    assert!(o.status.success());
    let text = stdout(&o);
    assert!(text.contains("smic_hourly"), "{text}");
    assert!(text.contains("12.31 €  from 2026-06-01"), "{text}");
    assert!(text.contains("Arrêté du 22 mai 2026"), "{text}");
}

#[test]
fn rules_from_a_directory_are_checked() {
    let dir = std::env::temp_dir().join(format!("ensemble-rules-{}", std::process::id()));
    let fr = dir.join("fr");
    let be = dir.join("be");
    std::fs::create_dir_all(&fr).expect("dir");
    std::fs::create_dir_all(&be).expect("dir");
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../payroll/rules");
    for (sub, name) in [
        ("fr", "2025.toml"),
        ("fr", "2026.toml"),
        ("be", "2026.toml"),
    ] {
        std::fs::copy(format!("{root}/{sub}/{name}"), dir.join(sub).join(name)).expect("copy");
    }
    // A typo in a parameter name is refused with the file and the parameter named.
    let path = fr.join("2026.toml");
    let text = std::fs::read_to_string(&path).expect("read");
    std::fs::write(
        &path,
        text.replace("[params.pss_monthly]", "[params.pss_monthy]"),
    )
    .expect("write");
    let o = ensemble(
        &[
            "payroll",
            "simulate",
            "--rules",
            dir.to_str().expect("path"),
            "--country",
            "fr",
            "--month",
            "2026-01",
            "--gross",
            "2500",
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("2026.toml: unknown parameter `pss_monthy`"),
        "{}",
        stderr(&o)
    );
    let _ = std::fs::remove_dir_all(&dir);
}
