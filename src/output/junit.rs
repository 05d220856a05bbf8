//! JUnit XML for CI systems that show test reports: a test suite per rule, a test case per
//! rule × object (failed with its findings, skipped when every finding is suppressed), and
//! one passing test case for a rule without findings.

use std::collections::BTreeMap;
use std::io::Write;

use crate::app::lint::LintReport;
use crate::lint::{Finding, RULES};

/// Escapes text for XML attributes and content.
fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 cannot carry at all.
            c if (c as u32) < 0x20 && !matches!(c, '\n' | '\r' | '\t') => {}
            c => out.push(c),
        }
    }
    out
}

/// Writes the report as JUnit XML.
pub fn write(out: &mut dyn Write, report: &LintReport) -> std::io::Result<()> {
    let ran: Vec<&str> = report.rules.clone();
    let mut by_rule: BTreeMap<&str, BTreeMap<String, Vec<&Finding>>> = BTreeMap::new();
    for f in &report.findings {
        by_rule
            .entry(f.rule)
            .or_default()
            .entry(f.location.object.to_string())
            .or_default()
            .push(f);
    }
    let mut suites = String::new();
    let (mut total, mut failed, mut skipped) = (0, 0, 0);
    for rule in RULES.iter().filter(|r| ran.contains(&r.id)) {
        let mut cases = String::new();
        let (mut t, mut fl, mut sk) = (0, 0, 0);
        match by_rule.get(rule.id) {
            None => {
                t += 1;
                cases.push_str(&format!(
                    "    <testcase classname=\"{}\" name=\"no findings\"/>\n",
                    rule.id
                ));
            }
            Some(objects) => {
                for (object, findings) in objects {
                    t += 1;
                    let open: Vec<&&Finding> =
                        findings.iter().filter(|f| f.suppressed.is_none()).collect();
                    cases.push_str(&format!(
                        "    <testcase classname=\"{}\" name=\"{}\">\n",
                        rule.id,
                        xml(object)
                    ));
                    if open.is_empty() {
                        sk += 1;
                        cases.push_str("      <skipped message=\"suppressed\"/>\n");
                    } else {
                        fl += 1;
                        let details: Vec<String> = open
                            .iter()
                            .map(|f| {
                                format!(
                                    "{} ({}:{})",
                                    f.message, f.location.origin.source, f.location.line
                                )
                            })
                            .collect();
                        cases.push_str(&format!(
                            "      <failure type=\"{}\" message=\"{}\">{}</failure>\n",
                            rule.severity.as_str(),
                            xml(&open[0].message),
                            xml(&details.join("\n"))
                        ));
                    }
                    cases.push_str("    </testcase>\n");
                }
            }
        }
        total += t;
        failed += fl;
        skipped += sk;
        suites.push_str(&format!(
            "  <testsuite name=\"{} {}\" tests=\"{t}\" failures=\"{fl}\" errors=\"0\" skipped=\"{sk}\">\n{cases}  </testsuite>\n",
            rule.id,
            xml(rule.slug)
        ));
    }
    write!(
        out,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"kubeaudit lint\" tests=\"{total}\" failures=\"{failed}\" errors=\"0\" skipped=\"{skipped}\">\n{suites}</testsuites>\n"
    )
}
