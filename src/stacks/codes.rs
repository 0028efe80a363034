//! Finding codes of stacks, forms and stack instances.

use crate::codes::CodeInfo;
use crate::finding::Level;

pub const CODES: &[CodeInfo] = &[
    CodeInfo {
        code: "stack-canonical-duplicate",
        level: Level::Deny,
        summary: "two stacks share a canonical",
        explanation: "A stack's `canonical` in `.cycloid.yml` is its identity: stack instances name \
their stack by it and Cycloid imports stacks by it. When two folders use the same canonical, \
instances resolve to the first folder (in path order) and the other stack is unreachable. The \
finding is on the second file and names the first. Give each stack its own canonical.",
    },
    CodeInfo {
        code: "forms-use-case-duplicate",
        level: Level::Deny,
        summary: "a use case is defined twice in .forms.yml",
        explanation: "`use_cases[].name` must be unique in a form: a stack instance picks its use case \
by name, so only the first definition is ever used. Merge the two definitions or rename one.",
    },
    CodeInfo {
        code: "forms-use-case-unknown",
        level: Level::Deny,
        summary: "a form use case is not a use case of .cycloid.yml",
        explanation: "Every `use_cases[].name` of `.forms.yml` must be a key of `config` in the stack's \
`.cycloid.yml`, which says what each use case deploys (pipeline, Terraform, Ansible). A form use case \
without config cannot be deployed; usually a typo or a renamed use case. The help lists the use cases \
`.cycloid.yml` defines.",
    },
    CodeInfo {
        code: "forms-use-case-missing",
        level: Level::Info,
        summary: "a use case of .cycloid.yml has no form",
        explanation: "A key of `config` in `.cycloid.yml` has no matching `use_cases[].name` in \
`.forms.yml`, so users of that use case get no form and its instances cannot be validated. This is \
fine for use cases only operators deploy; add a form otherwise.",
    },
    CodeInfo {
        code: "forms-key-duplicate",
        level: Level::Deny,
        summary: "two fields of a use case set the same key",
        explanation: "Two vars of one use case have the same `key` (and share a technology, e.g. both \
feed Terraform), so both would set the same input and one silently overrides the other. The finding \
is on the second var and names the first. Remove one or give it its own key.",
    },
    CodeInfo {
        code: "forms-key-invalid",
        level: Level::Deny,
        summary: "a var key starts with `module.` but is not `module.<module>.<argument>`",
        explanation: "A form key is either a root Terraform variable name or `module.<module>.<argument>`, \
which sets one argument of a `module` block. A key such as `module.db` or `module.db.a.b` matches \
neither, so the value reaches nothing.",
    },
    CodeInfo {
        code: "forms-key-undeclared",
        level: Level::Warn,
        summary: "a form key has no matching declaration in the stack's Terraform",
        explanation: "When the stack has a `terraform/` folder, each key of a group that feeds Terraform \
should match a `variable \"x\"` block (root key) or a `module \"m\"` block (`module.m.arg`; when \
the module's source is a local folder, `arg` must also be one of its variables). Otherwise the value \
the user enters never reaches Terraform. Not reported when a Terraform file of the folder does not parse.",
    },
    CodeInfo {
        code: "forms-default-invalid",
        level: Level::Deny,
        summary: "a var's default is not of its type or not among its values",
        explanation: "A var's `default` (or each `default` of a conditional `{options: [{condition, \
default}]}`) must be of the var's `type` (an integer is a valid float), be one of its `values` and lie \
within a `slider_range`. A default that fails these is shown to every user and fails its own \
validation. Defaults holding runtime interpolations are not checked.",
    },
    CodeInfo {
        code: "forms-values-invalid",
        level: Level::Deny,
        summary: "a var's `values` have an impossible shape or type",
        explanation: "`values` is a list of scalars, `[min, max]` for a `slider_range` (two numbers, \
minimum first), a list of `{label, value}`, or `{options: [{condition, values}]}`. Each allowed value \
must be of the var's `type`: a list of strings for an integer field can never be satisfied.",
    },
    CodeInfo {
        code: "forms-regexp-invalid",
        level: Level::Deny,
        summary: "a validation regexp does not compile",
        explanation: "A `validations[].regexp` of a var is not a valid regular expression, so the form \
either rejects every value or cannot check any. The message quotes the compiler's reason.",
    },
    CodeInfo {
        code: "forms-regexp-unsupported",
        level: Level::Info,
        summary: "a validation regexp uses look-around or backreferences",
        explanation: "Forms are validated by a JavaScript UI, whose regexps support look-ahead, \
look-behind and backreferences; stackgate's regexp engine (linear time, no backtracking) does not. \
Such a validation is not an error, but instance values are not checked against it.",
    },
    CodeInfo {
        code: "forms-condition-invalid",
        level: Level::Deny,
        summary: "a condition does not parse",
        explanation: "Conditions (on groups, vars, conditional `values` and `default`) are expressions \
such as `$cloud_provider == 'aws' && ($size != 'small' || $ha)`: `$key` for a field, quoted strings, \
numbers, `true`/`false`, `==`, `!=`, `<`, `<=`, `>`, `>=`, `!`, `&&`, `||` and parentheses. The \
message says what was expected and where.",
    },
    CodeInfo {
        code: "forms-condition-unknown-field",
        level: Level::Deny,
        summary: "a condition names a field the use case does not have",
        explanation: "`$name` in a condition refers to the `key` of another var of the same use case \
(or its `name`, when no other var has that name). A condition on a field that does not exist is \
always false, so what it guards never shows. The help suggests the closest key.",
    },
    CodeInfo {
        code: "instance-stack-unknown",
        level: Level::Deny,
        summary: "a stack instance names a stack that does not exist",
        explanation: "`spec.stack` must be the `canonical` of a stack of the repository. The help lists \
the known canonicals and the closest one. The instance yields no project until this is fixed.",
    },
    CodeInfo {
        code: "instance-use-case-unknown",
        level: Level::Deny,
        summary: "a stack instance names a use case its stack does not have",
        explanation: "`spec.useCase` must be a use case of the stack (a key of `config` in \
`.cycloid.yml` or a use case of `.forms.yml`). The help lists them. The values are not validated.",
    },
    CodeInfo {
        code: "instance-use-case-required",
        level: Level::Deny,
        summary: "a stack instance must say which use case it uses",
        explanation: "`spec.useCase` may be omitted only when the stack has exactly one use case. With \
several, the form to validate against is ambiguous; name one.",
    },
    CodeInfo {
        code: "instance-unvalidated",
        level: Level::Info,
        summary: "a stack instance's values cannot be validated: its use case has no form",
        explanation: "The stack has no `.forms.yml`, or the form has no use case of this name, so the \
instance's values are passed to Terraform as written, without checks.",
    },
    CodeInfo {
        code: "instance-name-duplicate",
        level: Level::Deny,
        summary: "two stack instances share a name in one environment",
        explanation: "`metadata.name` identifies an instance within its environment (`spec.environment`): \
two files with the same name would deploy over each other. The finding is on the second file (in path \
order) and names the first.",
    },
    CodeInfo {
        code: "instance-value-unknown-key",
        level: Level::Deny,
        summary: "a stack instance sets a key its form does not define",
        explanation: "Keys under `spec.values` must be exactly the `key` of a field of the use case's \
form; any other key is ignored by the stack, which usually hides a typo. The help suggests the closest \
key, or explains when a field's name was used instead of its key.",
    },
    CodeInfo {
        code: "instance-value-type",
        level: Level::Deny,
        summary: "a value is not of its field's type",
        explanation: "Each value must match its field's `type`: integer, float (an integer is accepted), \
string, boolean, array or map. The message says what was found; a common cause is YAML typing, such \
as `version: 1.10` (a float) for a string field: quote it.",
    },
    CodeInfo {
        code: "instance-value-required",
        level: Level::Deny,
        summary: "a required field has no value and no default",
        explanation: "A field marked `required: true`, shown under the instance's values (its \
conditions hold), has neither a value in `spec.values` nor a `default` (conditional defaults \
resolved). An empty string does not count as a value.",
    },
    CodeInfo {
        code: "instance-value-not-allowed",
        level: Level::Deny,
        summary: "a value is not one of its field's allowed values",
        explanation: "The field lists its allowed `values` (a list, `{label, value}` pairs, or options \
chosen by a condition on other fields) and the value is not among them; for an array field, each \
element is checked. Fields with `values_ref` are filled at run time and not checked.",
    },
    CodeInfo {
        code: "instance-value-out-of-range",
        level: Level::Deny,
        summary: "a value is outside its slider's range",
        explanation: "The field is a `slider_range` with `values: [min, max]`, and the value lies \
outside those bounds (inclusive).",
    },
    CodeInfo {
        code: "instance-value-validation",
        level: Level::Deny,
        summary: "a value fails one of its field's validation regexps",
        explanation: "The field's `validations` list regexps a value must match; the message gives the \
form's `error_message` and the help the regexp. Values holding runtime interpolations are not checked.",
    },
    CodeInfo {
        code: "instance-value-inactive",
        level: Level::Warn,
        summary: "a value is set for a field hidden by its condition",
        explanation: "The field's `condition` (or its group's) is false given the instance's other \
values, so the form hides it and the value has no effect. Remove it, or change the values the \
condition depends on.",
    },
];
