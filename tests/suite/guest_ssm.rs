//! Inside the instances: user data at first boot, SSM Run Command, images capturing the guest,
//! and the data-integrity lesson of buffered writes.

use crate::common;
use common::{expect_error, output};

/// Runs shell lines on an instance through SSM and returns the invocation.
const RUN_ON: &str = r#"
fn run_on(id, commands) {
    let ssm = client("ssm", "us-east-1");
    let cmd = ssm.send_command(#{instance_ids: [id], document_name: "AWS-RunShellScript", parameters: #{commands: commands}}).command;
    try { ssm.get_waiter("command_executed").wait(#{command_id: cmd.command_id, instance_id: id}); } catch {}
    ssm.get_command_invocation(#{command_id: cmd.command_id, instance_id: id})
}
fn out(inv) { let s = inv.standard_output_content; s.trim(); s }
"#;

fn script(body: &str) -> Vec<String> {
    output(&format!("{RUN_ON}\n{body}"))
}

#[test]
fn send_command_runs_shell_lines_and_reports_status_and_output() {
    let lines = script(
        r#"let id = running_web(ec2);
           let ssm = client("ssm", "us-east-1");
           let cmd = ssm.send_command(#{instance_ids: [id], document_name: "AWS-RunShellScript", parameters: #{commands: ["echo hello"]}}).command;
           print(cmd.status);
           print(ssm.get_command_invocation(#{command_id: cmd.command_id, instance_id: id}).status);
           ssm.get_waiter("command_executed").wait(#{command_id: cmd.command_id, instance_id: id});
           let inv = ssm.get_command_invocation(#{command_id: cmd.command_id, instance_id: id});
           print(inv.status + " " + inv.response_code + " " + out(inv));
           let bad = run_on(id, ["apt-get install -y nginx"]);
           print(bad.status + " " + bad.response_code);
           print(bad.standard_error_content.contains("command not found"));
           print(ssm.list_commands().commands.len());"#,
    );
    assert_eq!(
        lines,
        vec![
            "Pending",
            "InProgress",
            "Success 0 hello",
            "Failed 127",
            "true",
            "2"
        ]
    );
}

#[test]
fn ssm_refuses_what_aws_refuses() {
    expect_error(
        &format!(
            r#"{RUN_ON} let id = launch(ec2, al2023(ec2), "t3.micro"); run_on(id, ["true"]);"#
        ),
        "InvalidInstanceId",
        "not in a valid state for account 123456789012",
    );
    expect_error(
        &format!(
            r#"{RUN_ON} let id = launch(ec2, base_image(ec2, "Windows_Server-2022-*"), "t3.micro");
               ec2.get_waiter("instance_running").wait(#{{instance_ids: [id]}});
               run_on(id, ["dir"]);"#
        ),
        "UnsupportedPlatformType",
        "does not support the platform type",
    );
    expect_error(
        r#"client("ssm", "us-east-1").get_command_invocation(#{command_id: "00000000-0000-4000-8000-000000000000", instance_id: "i-0123456789abcdef0"});"#,
        "InvocationDoesNotExist",
        "",
    );
    expect_error(
        r#"let id = running_web(ec2); client("ssm", "us-east-1").send_command(#{instance_ids: [id], document_name: "AWS-RunShellScript", parameters: #{}});"#,
        "InvalidParameters",
        "commands",
    );
    expect_error(
        r#"let id = running_web(ec2); client("ssm", "us-east-1").send_command(#{instance_ids: [id], document_name: "AWS-RunPowerShellScript", parameters: #{commands: ["dir"]}});"#,
        "InvalidDocument",
        "AWS-RunPowerShellScript",
    );
    // Stopping the agent takes the instance out of Systems Manager's reach.
    expect_error(
        &format!(
            r#"{RUN_ON} let id = running_web(ec2); run_on(id, ["systemctl stop amazon-ssm-agent"]); run_on(id, ["true"]);"#
        ),
        "InvalidInstanceId",
        "not in a valid state",
    );
}

#[test]
fn user_data_runs_once_at_first_boot() {
    let lines = script(
        r##"let r = ec2.run_instances(#{image_id: al2023(ec2), instance_type: "t3.micro", min_count: 1, max_count: 1,
               user_data: "#!/bin/bash\ndnf install -y nginx\nsystemctl enable --now nginx\necho booted >> /var/log/boots\n"});
           let id = r.instances[0].instance_id;
           ec2.get_waiter("instance_running").wait(#{instance_ids: [id]});
           print(out(run_on(id, ["systemctl is-active nginx"])));
           ec2.stop_instances(#{instance_ids: [id]});
           ec2.get_waiter("instance_stopped").wait(#{instance_ids: [id]});
           ec2.start_instances(#{instance_ids: [id]});
           ec2.get_waiter("instance_running").wait(#{instance_ids: [id]});
           print(out(run_on(id, ["cat /var/log/boots"])));
           print(ec2.get_console_output(#{instance_id: id}).output.contains("user data finished with exit code 0"));
           print(out(run_on(id, ["curl -s http://169.254.169.254/latest/meta-data/instance-id"])) == id);"##,
    );
    assert_eq!(lines, vec!["active", "booted", "true", "true"]);
}

#[test]
fn images_capture_the_configured_guest() {
    let lines = script(
        r#"let id = running_web(ec2);
           run_on(id, ["dnf install -y nginx git", "systemctl enable --now nginx", "useradd deploy",
                       "echo '<h1>v1</h1>' > /usr/share/nginx/html/index.html", "echo 'PORT=8080' >> /etc/environment"]);
           let img = ec2.create_image(#{instance_id: id, name: "web-v1"}).image_id;
           ec2.get_waiter("image_available").wait(#{image_ids: [img]});
           let clone = launch(ec2, img, "t3.micro");
           ec2.get_waiter("instance_running").wait(#{instance_ids: [clone]});
           print(out(run_on(clone, ["rpm -q git >/dev/null && echo git-installed"])));
           print(out(run_on(clone, ["systemctl is-active nginx"])));
           print(out(run_on(clone, ["id -u deploy"])));
           print(out(run_on(clone, ["curl -s http://localhost"])));
           print(out(run_on(clone, ["cat /etc/environment"])).contains("PORT=8080"));"#,
    );
    assert_eq!(
        lines,
        vec!["git-installed", "active", "1001", "<h1>v1</h1>", "true"]
    );
}

#[test]
fn no_reboot_images_keep_only_what_was_synced() {
    let lines = script(
        r#"let id = running_web(ec2);
           run_on(id, ["echo synced > /srv/a.txt", "sync", "echo buffered > /srv/b.txt"]);
           let hot = ec2.create_image(#{instance_id: id, name: "hot", no_reboot: true}).image_id;
           let clean = ec2.create_image(#{instance_id: id, name: "clean"}).image_id;
           ec2.get_waiter("image_available").wait(#{image_ids: [hot, clean]});
           for img in [hot, clean] {
               let i = launch(ec2, img, "t3.micro");
               ec2.get_waiter("instance_running").wait(#{instance_ids: [i]});
               print(out(run_on(i, ["ls /srv"])));
           }"#,
    );
    assert_eq!(lines, vec!["a.txt", "a.txt\nb.txt"]);
}

#[test]
fn stopping_flushes_writes_and_loses_instance_store_data() {
    let lines = script(
        r#"let id = launch(ec2, al2023(ec2), "m5d.large");
           ec2.get_waiter("instance_running").wait(#{instance_ids: [id]});
           run_on(id, ["echo scratch > /mnt/ephemeral0/cache", "echo kept > /srv/data"]);
           ec2.stop_instances(#{instance_ids: [id]});
           ec2.get_waiter("instance_stopped").wait(#{instance_ids: [id]});
           ec2.start_instances(#{instance_ids: [id]});
           ec2.get_waiter("instance_running").wait(#{instance_ids: [id]});
           print(out(run_on(id, ["cat /srv/data"])));
           print(run_on(id, ["cat /mnt/ephemeral0/cache"]).status);"#,
    );
    assert_eq!(lines, vec!["kept", "Failed"]);
}

#[test]
fn user_data_does_not_rerun_in_clones_but_their_own_does() {
    let lines = script(
        r#"let r = ec2.run_instances(#{image_id: al2023(ec2), instance_type: "t3.micro", min_count: 1, max_count: 1,
               user_data: "echo first >> /srv/log"});
           let id = r.instances[0].instance_id;
           ec2.get_waiter("instance_running").wait(#{instance_ids: [id]});
           let img = ec2.create_image(#{instance_id: id, name: "img"}).image_id;
           ec2.get_waiter("image_available").wait(#{image_ids: [img]});
           let c = ec2.run_instances(#{image_id: img, instance_type: "t3.micro", min_count: 1, max_count: 1, user_data: "echo clone >> /srv/log"}).instances[0].instance_id;
           ec2.get_waiter("instance_running").wait(#{instance_ids: [c]});
           print(out(run_on(c, ["cat /srv/log"])));"#,
    );
    assert_eq!(lines, vec!["first\nclone"]);
}

#[test]
fn the_processor_comes_from_the_instance_type() {
    let lines = script(
        r#"let arm = launch(ec2, base_image(ec2, "al2023-ami-*-arm64"), "t4g.micro");
           let x86 = launch(ec2, al2023(ec2), "t3.micro");
           ec2.get_waiter("instance_running").wait(#{instance_ids: [arm, x86]});
           print(out(run_on(arm, ["uname -m"])));
           print(out(run_on(arm, ["uname -r"])).ends_with(".aarch64"));
           print(out(run_on(x86, ["uname -m"])));"#,
    );
    assert_eq!(lines, vec!["aarch64", "true", "x86_64"]);
}
