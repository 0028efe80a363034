//! Hostile input: every broken file is a finding with its file and line, and the run goes on.

use crate::support::{check_json, codes, temp_repo};

#[test]
fn broken_files_are_findings_and_the_run_goes_on() {
    let repo = temp_repo(&[
        ("deploy/dev/bad-yaml.stack.yaml", b"apiVersion: stackgate.dev/v1\nkind: [StackInstance\n"),
        ("deploy/dev/binary.stack.yaml", b"\x7fELF\x02\x01\x01\x00\x00\x00"),
        ("deploy/dev/empty.stack.yaml", b""),
        ("deploy/dev/utf16.stack.yaml", b"\xff\xfea\x00:\x00"),
        ("deploy/dev/latin1.stack.yaml", b"apiVersion: stackgate.dev/v1\n# caf\xe9\n"),
        ("infra/app/main.tf", b"resource \"aws_instance\" \"web\" {\n  ami = \"x\"\n  tags = {\n}\n"),
        ("infra/app/extra.tf.json", b"{\n  \"resource\": {,}\n}\n"),
        ("infra/app/ok.tf", b"\xef\xbb\xbfvariable \"a\" {\r\n  default = 1\r\n}\r\n"),
        ("catalog/catalog-info.yaml", b"apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: a\n  name: b\n"),
        ("policies/base.yaml", b"version: 1\npolicies:\n  - id: x\n   kind: region\n"),
    ]);
    let (report, code) = check_json(repo.path());
    assert_eq!(code, 1, "{report:#}");
    let found = codes(&report);
    let expect = [
        ("parse-error", "deploy/dev/bad-yaml.stack.yaml", 3),
        ("parse-error", "deploy/dev/binary.stack.yaml", 1),
        ("parse-error", "deploy/dev/utf16.stack.yaml", 1),
        ("parse-error", "deploy/dev/latin1.stack.yaml", 2),
        ("parse-error", "infra/app/extra.tf.json", 2),
        ("parse-error", "catalog/catalog-info.yaml", 5),
        ("parse-error", "policies/base.yaml", 4),
    ];
    for (c, f, l) in expect {
        assert!(
            found
                .iter()
                .any(|(fc, ff, fl)| fc == c && ff == f && *fl == l),
            "missing {c} {f}:{l} in {found:#?}"
        );
    }
    assert!(
        found
            .iter()
            .any(|(c, f, _)| c == "parse-error" && f == "infra/app/main.tf"),
        "{found:#?}"
    );
    assert!(
        found
            .iter()
            .any(|(c, f, _)| c == "empty-file" && f == "deploy/dev/empty.stack.yaml"),
        "{found:#?}"
    );
    // The BOM + CRLF Terraform file is valid: nothing about it, and its folder is still a root.
    assert!(
        !found.iter().any(|(_, f, _)| f == "infra/app/ok.tf"),
        "{found:#?}"
    );
    assert_eq!(report["summary"]["terraform_roots"], 1);
}
