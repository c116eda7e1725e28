//! The course syllabus: the 28 concept ids of `CONCEPTS.md`, compiled into the binary.
//!
//! Neutral module: quizzes and labs both tag their items with these ids, and validation of either
//! rejects an id that is not listed here.

/// One syllabus concept: its id and a one-line summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Concept {
    pub id: &'static str,
    pub summary: &'static str,
}

macro_rules! concepts {
    ($(($id:literal, $summary:literal)),* $(,)?) => {
        /// Every concept, in the syllabus order of `CONCEPTS.md`.
        pub const CONCEPTS: &[Concept] = &[$(Concept { id: $id, summary: $summary }),*];
    };
}

concepts![
    ("ami-basics", "An AMI is a template / blueprint for launching instances"),
    ("ami-contents", "What an AMI holds: root volume template (OS, software, config), launch permissions, block device mapping"),
    ("captured-state", "What an image captures of a configured instance: packages, services, config files, env vars, users and groups, firewall / network settings, app code"),
    ("create-image", "Create an image from an instance: name (versioned), description, reboot vs no-reboot, volumes, tags; state pending → available"),
    ("data-integrity", "Stop or reboot before imaging so the file system is consistent"),
    ("launch-from-ami", "Launch identical instances from an image: instance type, key pair, security groups, subnet / AZ"),
    ("region-scope", "AMIs live in one region; to use one elsewhere, copy it"),
    ("copy-image", "Copy an image to another region (or AZ use), with a new id and its own snapshots"),
    ("os-choice", "OS families: Amazon Linux, Ubuntu, Windows Server, RHEL; Windows only EBS-backed"),
    ("architecture", "x86_64 (Intel/AMD) vs arm64 (Graviton); image and instance type must match"),
    ("virtualization", "HVM vs PV: HVM is modern, fast, GPU / enhanced networking; PV only on old types (c1, m1, m3…)"),
    ("root-device", "EBS-backed vs instance-store-backed: boot time, persistence, stop/start, where stored (EBS snapshot vs S3), OS support"),
    ("launch-permissions", "Private (default), explicit (accounts / organizations), implicit (owner), public"),
    ("ami-sources", "Public (AWS / community), private (custom), shared, marketplace (vendor, paid) images"),
    ("marketplace", "Paid vendor images (e.g. a LAMP stack): software fees, you can sell your own"),
    ("snapshots", "An EBS-backed image is built from EBS snapshots (kept in S3); AMI vs snapshot"),
    ("deregister", "Deregister unused images; snapshots remain (and cost) until deleted; in-use snapshots cannot be deleted"),
    ("cost", "Creating an image is free; snapshot storage, instances and marketplace fees cost money"),
    ("tagging-versioning", "Tag images (Name, Project, Version); version names (v1, v2) for updates and rollback"),
    ("backup-rollback", "An image taken before a change is a full-system backup; roll back by launching from it"),
    ("golden-image", "A hardened, pre-configured \"golden\" image as the standard baseline"),
    ("cleanup-hardening", "Before imaging: remove test users and credentials, disable unneeded services, tighten security groups"),
    ("encryption", "Encrypt the underlying EBS volumes / images with KMS; copies can add encryption"),
    ("launch-template", "A launch template: image, instance type, security group, key pair; versions; template vs image"),
    ("auto-scaling", "Auto Scaling group: min / max / desired; launches from the template; replaces failed instances; rolls out a new image"),
    ("image-builder", "EC2 Image Builder: pipeline of build, test and distribute; base image, components, patches, schedule, multi-region distribution"),
    ("disaster-recovery", "Copies in other regions / accounts for recovery and migration; dev/test/staging from one image"),
    ("aws-cli", "The CLI forms: describe-images (owners, query, table), create-image, copy-image, deregister-image, run-instances"),
];

/// The concept with this id, if the syllabus has it.
pub fn find(id: &str) -> Option<&'static Concept> {
    CONCEPTS.iter().find(|c| c.id == id)
}

/// True when `id` is a syllabus concept id.
pub fn is_known(id: &str) -> bool {
    find(id).is_some()
}

/// The known id closest to `id` (Jaro–Winkler ≥ 0.8), for a did-you-mean hint.
pub fn closest(id: &str) -> Option<&'static str> {
    amilab_text::closest(id, CONCEPTS.iter().map(|c| c.id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syllabus_has_28_unique_ids() {
        assert_eq!(CONCEPTS.len(), 28);
        let mut ids: Vec<_> = CONCEPTS.iter().map(|c| c.id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), 28);
    }

    #[test]
    fn lookups() {
        assert!(is_known("root-device"));
        assert!(!is_known("root-devices"));
        assert_eq!(closest("root-devise"), Some("root-device"));
        assert_eq!(closest("zzz"), None);
    }
}
