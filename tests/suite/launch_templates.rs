//! Launch templates (issue 10): versions and their inheritance, the default version, `$Latest` /
//! `$Default`, launching from a template with overrides and AWS's `aws:ec2launchtemplate:*`
//! tags, "create template from instance" (GetLaunchTemplateData), deleting versions (never the
//! default), and every error code of EC2-BEHAVIOUR.md's "Launch templates".

use crate::common::{expect_error, output};

/// A template `web` (version 1: AL2023 on t3.micro, tagged Name=web) and `tag(tags, key)`.
const TEMPLATE: &str = r#"
fn tag(tags, key) { for t in tags { if t.key == key { return t.value; } } () }
fn pick(ec2, id, v) {
    ec2.describe_launch_template_versions(#{launch_template_id: id, versions: [v]}).launch_template_versions[0].version_number
}
let ami = al2023(ec2);
let lt = ec2.create_launch_template(#{launch_template_name: "web", version_description: "first",
    launch_template_data: #{image_id: ami, instance_type: "t3.micro",
        tag_specifications: [#{resource_type: "instance", tags: [#{key: "Name", value: "web"}]}]}}).launch_template;
let id = lt.launch_template_id;
"#;

#[test]
fn versions_inherit_from_their_source_and_the_default_moves_only_when_asked() {
    let lines = output(&format!(
        r#"{TEMPLATE}
           print(`${{id.starts_with("lt-")}} ${{id.len()}} ${{lt.default_version_number}} ${{lt.latest_version_number}}`);
           let v2 = ec2.create_launch_template_version(#{{launch_template_id: id, source_version: "1",
               launch_template_data: #{{instance_type: "t3.small"}}}}).launch_template_version;
           print(`${{v2.version_number}} ${{v2.default_version}} ${{v2.launch_template_data.image_id == ami}} ${{v2.launch_template_data.instance_type}}`);
           let v3 = ec2.create_launch_template_version(#{{launch_template_name: "web",
               launch_template_data: #{{instance_type: "t3.large"}}}}).launch_template_version;
           print(`${{v3.version_number}} ${{v3.launch_template_data.contains("image_id")}}`);
           let t = ec2.describe_launch_templates(#{{launch_template_ids: [id]}}).launch_templates[0];
           print(`${{t.default_version_number}} ${{t.latest_version_number}}`);
           print(`${{pick(ec2, id, "$Latest")}} ${{pick(ec2, id, "$Default")}} ${{pick(ec2, id, "2")}}`);
           ec2.modify_launch_template(#{{launch_template_name: "web", default_version: "2"}});
           print(`${{pick(ec2, id, "$Default")}}`);
           let all = ec2.describe_launch_template_versions(#{{launch_template_id: id}}).launch_template_versions;
           print(all.map(|v| `${{v.version_number}}:${{v.default_version}}`));
           let defaults = ec2.describe_launch_template_versions(#{{launch_template_id: id,
               filters: [#{{name: "is-default-version", values: ["true"]}}]}}).launch_template_versions;
           print(defaults.map(|v| v.version_number));"#
    ));
    assert_eq!(
        lines,
        vec![
            "true 20 1 1",
            "2 false true t3.small",
            "3 false",
            "1 3",
            "3 1 2",
            "2",
            "[\"1:false\", \"2:true\", \"3:false\"]",
            "[2]",
        ]
    );
}

#[test]
fn run_instances_takes_the_default_version_under_explicit_parameters_and_tags_the_template() {
    let lines = output(&format!(
        r#"{TEMPLATE}
           ec2.create_launch_template_version(#{{launch_template_id: id, source_version: "1",
               launch_template_data: #{{instance_type: "t3.small"}}}});
           let i = ec2.run_instances(#{{launch_template: #{{launch_template_id: id}}, min_count: 1, max_count: 1}}).instances[0];
           print(`${{i.image_id == ami}} ${{i.instance_type}} ${{tag(i.tags, "Name")}}`);
           print(`${{tag(i.tags, "aws:ec2launchtemplate:id") == id}} ${{tag(i.tags, "aws:ec2launchtemplate:version")}}`);
           let j = ec2.run_instances(#{{launch_template: #{{launch_template_name: "web", version: "$Latest"}},
               instance_type: "t3.medium", min_count: 1, max_count: 1}}).instances[0];
           print(`${{j.instance_type}} ${{tag(j.tags, "aws:ec2launchtemplate:version")}}`);
           let k = ec2.run_instances(#{{launch_template: #{{launch_template_id: id, version: "2"}}, min_count: 1, max_count: 1}}).instances[0];
           print(k.instance_type);"#
    ));
    assert_eq!(
        lines,
        vec!["true t3.micro web", "true 1", "t3.medium 2", "t3.small"]
    );
}

#[test]
fn a_template_from_an_instance_captures_its_settings_not_its_disk() {
    let lines = output(
        r##"
        let ami = al2023(ec2);
        let sg = ec2.create_security_group(#{group_name: "web", description: "web"}).group_id;
        let i = ec2.run_instances(#{image_id: ami, instance_type: "t3.small", min_count: 1, max_count: 1,
            security_group_ids: [sg], user_data: "#!/bin/bash\necho hi\n",
            metadata_options: #{http_tokens: "required"},
            tag_specifications: [#{resource_type: "instance", tags: [#{key: "Name", value: "golden"}]}]}).instances[0].instance_id;
        let data = ec2.get_launch_template_data(#{instance_id: i}).launch_template_data;
        print(`${data.image_id == ami} ${data.instance_type} ${data.security_group_ids == [sg]}`);
        print(`${data.metadata_options.http_tokens} ${data.block_device_mappings[0].device_name} ${data.tag_specifications[0].tags[0].value}`);
        print(data.user_data);
        let lt = ec2.create_launch_template(#{launch_template_name: "from-instance", launch_template_data: data}).launch_template;
        let j = ec2.run_instances(#{launch_template: #{launch_template_id: lt.launch_template_id}, min_count: 1, max_count: 1}).instances[0];
        print(`${j.image_id == ami} ${j.instance_type} ${j.metadata_options.http_tokens}`);
        print(ec2.describe_instance_attribute(#{instance_id: j.instance_id, attribute: "userData"}).user_data.value == data.user_data);
        "##,
    );
    assert_eq!(
        lines,
        vec![
            "true t3.small true",
            "required /dev/xvda golden",
            "IyEvYmluL2Jhc2gKZWNobyBoaQo=",
            "true t3.small required",
            "true",
        ]
    );
}

#[test]
fn deleting_versions_never_deletes_the_default_and_never_reuses_a_number() {
    let lines = output(&format!(
        r#"{TEMPLATE}
           for n in 0..3 {{ ec2.create_launch_template_version(#{{launch_template_id: id, launch_template_data: #{{image_id: ami}}}}); }}
           let r = ec2.delete_launch_template_versions(#{{launch_template_id: id, versions: ["$Default", "4", "9"]}});
           print(r.successfully_deleted_launch_template_versions.map(|v| v.version_number));
           print(r.unsuccessfully_deleted_launch_template_versions.map(|v| `${{v.version_number}}:${{v.response_error.code}}`));
           let t = ec2.describe_launch_templates(#{{launch_template_names: ["web"]}}).launch_templates[0];
           print(`${{t.default_version_number}} ${{t.latest_version_number}}`);
           print(ec2.create_launch_template_version(#{{launch_template_id: id, launch_template_data: #{{}}}}).launch_template_version.version_number);
           print(ec2.delete_launch_template(#{{launch_template_name: "web"}}).launch_template.launch_template_id == id);
           print(ec2.describe_launch_templates(#{{}}).launch_templates.len());"#
    ));
    assert_eq!(
        lines,
        vec![
            "[4]",
            "[\"1:unexpectedError\", \"9:launchTemplateVersionDoesNotExist\"]",
            "1 3",
            "5",
            "true",
            "0",
        ]
    );
}

#[test]
fn a_template_name_is_unique_in_the_account_and_region() {
    expect_error(
        &format!(
            r#"{TEMPLATE}
               ec2.create_launch_template(#{{launch_template_name: "web", launch_template_data: #{{}}}});"#
        ),
        "InvalidLaunchTemplateName.AlreadyExistsException",
        "Launch template name already in use.",
    );
    expect_error(
        r#"ec2.create_launch_template(#{launch_template_name: "no spaces", launch_template_data: #{}});"#,
        "InvalidLaunchTemplateName.MalformedException",
        "between 3 and 128 characters",
    );
}

#[test]
fn a_template_is_named_by_id_or_by_name_never_both() {
    expect_error(
        &format!(
            r#"{TEMPLATE}
               ec2.modify_launch_template(#{{launch_template_id: id, launch_template_name: "web", default_version: "1"}});"#
        ),
        "InvalidParameterCombination",
        "not both",
    );
    expect_error(
        r#"ec2.delete_launch_template(#{launch_template_id: "lt-0123456789abcdef0"});"#,
        "InvalidLaunchTemplateId.NotFound",
        "lt-0123456789abcdef0",
    );
    expect_error(
        r#"ec2.describe_launch_template_versions(#{launch_template_name: "nowhere"});"#,
        "InvalidLaunchTemplateName.NotFoundException",
        "nowhere",
    );
    expect_error(
        r#"ec2.run_instances(#{launch_template: #{launch_template_name: "nowhere"}, min_count: 1, max_count: 1});"#,
        "InvalidLaunchTemplateName.NotFoundException",
        "nowhere",
    );
}

#[test]
fn an_unknown_version_is_version_not_found_everywhere() {
    for call in [
        r#"ec2.modify_launch_template(#{launch_template_id: id, default_version: "7"});"#,
        r#"ec2.create_launch_template_version(#{launch_template_id: id, source_version: "7", launch_template_data: #{}});"#,
        r#"ec2.describe_launch_template_versions(#{launch_template_id: id, versions: ["7"]});"#,
        r#"ec2.run_instances(#{launch_template: #{launch_template_id: id, version: "7"}, min_count: 1, max_count: 1});"#,
    ] {
        expect_error(
            &format!("{TEMPLATE}\n{call}"),
            "InvalidLaunchTemplateId.VersionNotFound",
            "version 7",
        );
    }
}

#[test]
fn template_data_is_checked_when_stored_and_a_failed_call_changes_nothing() {
    expect_error(
        r##"ec2.create_launch_template(#{launch_template_name: "web", launch_template_data: #{user_data: "#!/bin/bash"}});"##,
        "InvalidUserData.Malformed",
        "BASE64",
    );
    expect_error(
        r#"ec2.create_launch_template(#{launch_template_name: "web", launch_template_data: #{
               tag_specifications: [#{resource_type: "instance", tags: [#{key: "aws:mine", value: "x"}]}]}});"#,
        "InvalidParameterValue",
        "reserved",
    );
    let lines = output(
        r#"
        try { ec2.create_launch_template(#{launch_template_name: "web", launch_template_data: #{user_data: "!!"}}); } catch (e) { print(e.code); }
        print(ec2.describe_launch_templates(#{}).launch_templates.len());
        try { ec2.describe_launch_template_versions(#{versions: ["1"]}); } catch (e) { print(e.code); }
        "#,
    );
    assert_eq!(
        lines,
        vec!["InvalidUserData.Malformed", "0", "MissingParameter"]
    );
}
