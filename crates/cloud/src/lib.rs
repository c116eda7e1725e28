//! The simulated AWS cloud: pure Rust, deterministic, knows nothing of Rhai or YAML.
//!
//! A [`Cloud`] holds every region's resources, the simulated clock with its scheduled
//! transitions, the seeded id generator, the API trail and the quotas. Operations are typed
//! functions listed once in [`api::OPERATIONS`]; [`Cloud::call`] dispatches a JSON request to them.
//!
//! Requests and responses have boto3's shapes, with boto3's snake_case keys (`ImageIds` →
//! `image_ids`); errors carry AWS's codes and messages ([`AwsError`]). Time is simulated: it
//! moves only when [`Cloud::advance`] is called, and resources change state (an image
//! `pending` → `available`, an instance `pending` → `running`) at the instants documented in
//! [`clock::durations`]. Ids come from a ChaCha8 generator seeded by [`WorldConfig::seed`], so the
//! same seed and the same calls give the same ids on every machine.
//!
//! # Example
//!
//! Find Amazon Linux 2023, launch it, let it boot, image it — twice, with the same outcome:
//!
//! ```
//! use amilab_cloud::clock::durations;
//! use amilab_cloud::{CallError, Caller, Cloud, WorldConfig, DEFAULT_ACCOUNT};
//! use serde_json::{json, Value};
//!
//! fn bake() -> Result<(String, String), CallError> {
//!     let mut cloud = Cloud::new(WorldConfig::default()); // seed 0
//!     let me = Caller::new(DEFAULT_ACCOUNT, "us-east-1");
//!     let id = |v: &Value, key: &str| v[key].as_str().unwrap_or_default().to_string();
//!     let filter = json!([{"name": "name", "values": ["al2023-ami-*-x86_64"]}]);
//!     let found = cloud.call(&me, "ec2", "describe_images",
//!         json!({"owners": ["amazon"], "filters": filter}))?;
//!     let ami = id(&found["images"][0], "image_id");
//!     let run = cloud.call(&me, "ec2", "run_instances",
//!         json!({"image_id": ami, "instance_type": "t3.micro", "min_count": 1, "max_count": 1}))?;
//!     let instance = id(&run["instances"][0], "instance_id");
//!     cloud.advance(durations::EBS_BOOT); // pending → running
//!     let image = cloud.call(&me, "ec2", "create_image",
//!         json!({"instance_id": instance, "name": "web-v1"}))?;
//!     Ok((instance, id(&image, "image_id")))
//! }
//!
//! let (instance, image) = bake()?;
//! assert!(instance.starts_with("i-") && image.starts_with("ami-"));
//! assert_eq!(bake()?, (instance, image)); // same seed, same ids
//! # Ok::<(), CallError>(())
//! ```

#![warn(missing_docs)]

pub mod api;
pub mod autoscaling;
pub mod catalog;
pub mod ce;
pub mod clock;
pub mod ec2;
pub mod error;
pub use amilab_guest as guest;
pub(crate) mod ids;
pub mod imagebuilder;
pub mod kms;
pub(crate) mod lifecycle;
pub mod naming;
pub mod paginators;
pub(crate) mod paging;
pub(crate) mod parameters;
mod prune;
pub(crate) mod request;
pub mod ssm;
pub mod sts;
pub mod trail;
pub mod waiters;
pub mod wire;
pub mod world;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

pub use error::{AwsError, AwsResult, CallError};
pub use world::{WorldFileError, WORLD_FORMAT, WORLD_VERSION};

use catalog::REGIONS;
use clock::Clock;
use ec2::RegionState;
use ids::IdGen;
use lifecycle::Schedule;
use trail::Trail;

/// The account a learner acts as unless a world says otherwise.
pub const DEFAULT_ACCOUNT: &str = "123456789012";

/// Who is calling, and where: every operation runs as one account in one region.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    /// The 12-digit account id the call acts as (`123456789012`).
    pub account: String,
    /// The region the call goes to (`us-east-1`); it must be enabled in the world, or the call
    /// answers `InvalidRegion`.
    pub region: String,
}

impl Caller {
    /// A caller acting as `account` in `region`. Neither is checked here: an unknown region is
    /// refused by the call itself (`InvalidRegion`).
    pub fn new(account: impl Into<String>, region: impl Into<String>) -> Self {
        Caller {
            account: account.into(),
            region: region.into(),
        }
    }
}

/// Limits that keep any script's footprint bounded; breaching one is answered with the AWS
/// error a real account would get.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Quotas {
    /// Instances (not terminated) per account per region: `InstanceLimitExceeded`.
    pub instances_per_region: usize,
    /// Images per account per region: `ResourceLimitExceeded`.
    pub images_per_region: usize,
    /// Snapshots per account per region: `SnapshotLimitExceeded`.
    pub snapshots_per_region: usize,
    /// Volumes per account per region: `VolumeLimitExceeded`.
    pub volumes_per_region: usize,
    /// Security groups and key pairs per account per region.
    pub groups_and_keys_per_region: usize,
    /// API calls in one run: `RequestLimitExceeded`.
    pub api_calls: u64,
}

impl Default for Quotas {
    fn default() -> Self {
        Quotas {
            instances_per_region: 256,
            images_per_region: 1_000,
            snapshots_per_region: 5_000,
            volumes_per_region: 5_000,
            groups_and_keys_per_region: 500,
            api_calls: 20_000,
        }
    }
}

/// What a cloud starts from.
#[derive(Debug, Clone)]
pub struct WorldConfig {
    /// Seeds the id generator: the same seed gives the same resource ids on every machine (a
    /// ChaCha8 stream; see the crate documentation).
    pub seed: u64,
    /// The learner's own account id (12 digits); [`DEFAULT_ACCOUNT`] by default.
    pub account: String,
    /// Other accounts the world declares (teammates); any 12-digit account may still be used.
    pub other_accounts: Vec<String>,
    /// Enabled regions; empty means every catalogue region.
    pub regions: Vec<String>,
    /// Where the simulated clock starts, in seconds since the Unix epoch (UTC);
    /// [`clock::DEFAULT_START`] by default.
    pub start_time: u64,
    /// The limits the world enforces ([`Quotas::default`] unless a lab sets its own).
    pub quotas: Quotas,
    /// AWS Marketplace subscriptions, as (12-digit account, product code): launching an image
    /// that carries a product code needs one for the launching account (`OptInRequired`
    /// otherwise; see [`ec2::marketplace`]). None by default.
    pub subscriptions: BTreeSet<(String, String)>,
    /// Reads Image Builder component documents (YAML in AWS) into JSON values. The simulation
    /// may not depend on a YAML library: the application that embeds it injects one here (the
    /// `amilab` binary injects its YAML reader). Without one, only JSON documents are read,
    /// and a YAML document is refused saying so (see [`imagebuilder::document`]).
    pub component_document_parser: Option<imagebuilder::DocumentParser>,
}

impl Default for WorldConfig {
    fn default() -> Self {
        WorldConfig {
            seed: 0,
            account: DEFAULT_ACCOUNT.to_string(),
            other_accounts: Vec::new(),
            regions: Vec::new(),
            start_time: clock::DEFAULT_START,
            quotas: Quotas::default(),
            subscriptions: BTreeSet::new(),
            component_document_parser: None,
        }
    }
}

/// Bytes the guests' regular expressions may read in one run, across every user-data script,
/// SSM command and Image Builder step: four times one guest run's own budget
/// ([`amilab_guest::MAX_REGEX_SCAN_BYTES`]). Without it a flood of commands, each under its
/// own budget, kept one script busy for minutes, as a single call is not interrupted by the
/// script's deadline.
pub const GUEST_REGEX_BUDGET: u64 = 4 * amilab_guest::MAX_REGEX_SCAN_BYTES;

/// The whole simulated cloud.
///
/// It is saved whole, and resumed exactly, as a world file: [`Cloud::save_world`] and
/// [`Cloud::load_world`] (see [`world`]). Only the component document parser is not saved: the
/// application passes it again when it loads a world.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Cloud {
    clock: Clock,
    pub(crate) ids: IdGen,
    pub(crate) schedule: Schedule,
    pub(crate) trail: Trail,
    pub(crate) quotas: Quotas,
    /// The learner's own account.
    account: String,
    /// The learner's account and the other accounts the world declares.
    accounts: BTreeSet<String>,
    /// Shared copy-on-write: cloning a cloud (a dry run, a grader's check) copies a region only
    /// when the copy changes it.
    #[serde(with = "world::statics::regions")]
    regions: BTreeMap<String, Arc<RegionState>>,
    /// Creation counter: describe calls list resources in the order they were made.
    seq: u64,
    api_calls: u64,
    pub(crate) kms: kms::Kms,
    pub(crate) ssm: ssm::Ssm,
    /// Bytes the guests' regular expressions may still read in this run, across all instances
    /// and commands ([`GUEST_REGEX_BUDGET`], renewed by [`Cloud::begin_run`]).
    pub(crate) guest_regex_left: u64,
    /// Accounts that turned on the block for new public image sharing.
    pub(crate) image_public_access_blocked: BTreeSet<(String, String)>,
    /// CopyImage client tokens: (account, region, token) → the image id first returned.
    #[serde(with = "serde_with::As::<serde_with::Seq<(serde_with::Same, serde_with::Same)>>")]
    pub(crate) copy_tokens: BTreeMap<(String, String, String), String>,
    /// Snapshot id → the snapshot its data came from, for every snapshot ever made from
    /// another, deleted ones included.
    pub(crate) snapshot_sources: BTreeMap<String, String>,
    /// Auto Scaling groups and their activity history.
    pub(crate) autoscaling: autoscaling::AutoScaling,
    /// When the current run began ([`Cloud::begin_run`]), in seconds since the Unix epoch.
    run_started_at: u64,
    /// EBS encryption by default: (account, region) → its settings, for those that changed them.
    #[serde(with = "serde_with::As::<serde_with::Seq<(serde_with::Same, serde_with::Same)>>")]
    pub(crate) ebs_defaults: BTreeMap<(String, String), ec2::ebs_defaults::EbsDefaults>,
    /// (account, product code): the AWS Marketplace subscriptions the world declares.
    pub(crate) subscriptions: BTreeSet<(String, String)>,
    /// When each billable resource started and stopped accruing charges (append-only).
    pub(crate) ledger: ce::Ledger,
    /// Image Builder's components, recipes, configurations, pipelines and images.
    pub(crate) imagebuilder: imagebuilder::ImageBuilder,
    /// How component documents that are not JSON are read ([`WorldConfig::component_document_parser`]).
    /// Not data: not saved in a world file; [`Cloud::load_world`] takes it again.
    #[serde(skip)]
    pub(crate) document_parser: Option<imagebuilder::DocumentParser>,
}

impl Default for Cloud {
    fn default() -> Self {
        Cloud::new(WorldConfig::default())
    }
}

impl Cloud {
    /// A fresh world: the public image catalogue ([`catalog::PUBLIC_IMAGES`]) in every enabled
    /// region and nothing else. Region names the catalogue does not know are skipped. An account's
    /// default VPC, subnets and `default` security group appear the first time it calls into a
    /// region, as every AWS account has them.
    pub fn new(config: WorldConfig) -> Self {
        let enabled: Vec<&str> = if config.regions.is_empty() {
            REGIONS.iter().map(|r| r.name).collect()
        } else {
            config.regions.iter().map(String::as_str).collect()
        };
        let mut accounts: BTreeSet<String> = config.other_accounts.iter().cloned().collect();
        accounts.insert(config.account.clone());
        let mut cloud = Cloud {
            clock: Clock::starting_at(config.start_time),
            ids: IdGen::new(config.seed),
            schedule: Schedule::default(),
            trail: Trail::default(),
            quotas: config.quotas,
            account: config.account,
            accounts,
            regions: BTreeMap::new(),
            seq: 0,
            api_calls: 0,
            kms: kms::Kms::default(),
            ssm: ssm::Ssm::default(),
            guest_regex_left: GUEST_REGEX_BUDGET,
            image_public_access_blocked: BTreeSet::new(),
            copy_tokens: BTreeMap::new(),
            snapshot_sources: BTreeMap::new(),
            autoscaling: autoscaling::AutoScaling::default(),
            run_started_at: config.start_time,
            ebs_defaults: BTreeMap::new(),
            subscriptions: config.subscriptions,
            ledger: ce::Ledger::default(),
            imagebuilder: imagebuilder::ImageBuilder::default(),
            document_parser: config.component_document_parser,
        };
        for name in enabled {
            if let Some(info) = catalog::region(name) {
                cloud
                    .regions
                    .insert(name.to_string(), RegionState::pristine(info));
            }
        }
        cloud.seq = catalog::PUBLIC_IMAGES.len() as u64;
        cloud
    }

    /// The simulated time, in seconds since the Unix epoch (UTC). It moves only through
    /// [`Cloud::advance`] (a script's `sleep`, a waiter's delay).
    pub fn now(&self) -> u64 {
        self.clock.now()
    }

    /// Moves simulated time forward, applying every transition that falls due, in order.
    pub fn advance(&mut self, seconds: u64) {
        let target = self.clock.now().saturating_add(seconds);
        while let Some((at, event)) = self.schedule.pop_due(target) {
            if at > self.clock.now() {
                self.clock = Clock::starting_at(at);
            }
            lifecycle::apply(self, event);
        }
        self.clock = Clock::starting_at(target);
    }

    pub(crate) fn next_seq(&mut self) -> u64 {
        self.seq += 1;
        self.seq
    }

    /// The names of the enabled regions, sorted (`ap-south-1`, …, `us-west-2`).
    pub fn region_names(&self) -> impl Iterator<Item = &str> {
        self.regions.keys().map(String::as_str)
    }

    /// A read-only view of one enabled region's resources, or `None` when the world does not enable
    /// it.
    pub fn region(&self, name: &str) -> Option<&RegionState> {
        self.regions.get(name).map(|r| &**r)
    }

    /// A region to change, copied first if another clone of the cloud shares it.
    pub(crate) fn region_mut_opt(&mut self, name: &str) -> Option<&mut RegionState> {
        self.regions.get_mut(name).map(Arc::make_mut)
    }

    pub(crate) fn region_mut(&mut self, name: &str) -> AwsResult<&mut RegionState> {
        self.region_mut_opt(name)
            .ok_or_else(|| unknown_region(name))
    }

    pub(crate) fn region_ref(&self, name: &str) -> AwsResult<&RegionState> {
        self.region(name).ok_or_else(|| unknown_region(name))
    }

    /// Counts one API call against the run's quota.
    pub(crate) fn count_call(&mut self) -> AwsResult<()> {
        self.api_calls += 1;
        if self.api_calls > self.quotas.api_calls {
            return Err(AwsError::new(
                "RequestLimitExceeded",
                format!(
                    "Request limit exceeded. This run may make at most {} API calls.",
                    self.quotas.api_calls
                ),
            )
            .with_status(503));
        }
        Ok(())
    }

    /// API calls counted against [`Quotas::api_calls`] since the run began (dry runs and
    /// failed calls count; calls refused by parameter validation do not).
    pub fn api_calls(&self) -> u64 {
        self.api_calls
    }

    /// The record of every call since the run began ([`Cloud::begin_run`]), in call order.
    pub fn trail(&self) -> &Trail {
        &self.trail
    }

    /// The limits this cloud enforces.
    pub fn quotas(&self) -> &Quotas {
        &self.quotas
    }

    /// Sets how many API calls the run may make from now on (the count is not reset: see
    /// [`Cloud::begin_run`]). A lab's world is built with a quota large enough for its setup
    /// calls, then given the learner's own before the learner's script runs.
    pub fn set_api_call_quota(&mut self, calls: u64) {
        self.quotas.api_calls = calls;
    }

    /// A description of everything later answers depend on, leaving out only the record of
    /// calls ([`Cloud::trail`], [`Cloud::api_calls`], [`Cloud::run_started_at`]): two clouds with equal digests answer
    /// every later call alike. The digest's text is for comparing, not reading; the atomicity
    /// tests compare it before and after a failed call.
    pub fn state_digest(&self) -> String {
        let Cloud {
            clock,
            ids,
            schedule,
            trail: _,
            quotas,
            account,
            accounts,
            regions,
            seq,
            api_calls: _,
            kms,
            ssm,
            guest_regex_left,
            image_public_access_blocked,
            copy_tokens,
            snapshot_sources,
            autoscaling,
            run_started_at: _,
            ebs_defaults,
            subscriptions,
            ledger,
            imagebuilder,
            document_parser,
        } = self;
        // A function's address is not stable between runs: only whether there is one counts.
        let document_parser = document_parser.is_some();
        format!(
            "{clock:?}\n{ids:?}\n{schedule:?}\n{quotas:?}\n{account:?}\n{accounts:?}\n{regions:?}\n\
             {seq:?}\n{kms:?}\n{ssm:?}\n{image_public_access_blocked:?}\n{copy_tokens:?}\n\
             {snapshot_sources:?}\n{autoscaling:?}\n{ebs_defaults:?}\n{subscriptions:?}\n{ledger:?}\n\
             {imagebuilder:?}\n{document_parser:?}\n{guest_regex_left}"
        )
    }

    /// Snapshot id → the snapshot its data came from (the one its volume was made from, or the
    /// one it copies), for every snapshot ever made from another, deleted ones included: the
    /// lineage graders follow to find every copy of an image's disk.
    pub fn snapshot_sources(&self) -> &BTreeMap<String, String> {
        &self.snapshot_sources
    }

    /// The learner's own account id (12 digits).
    pub fn account(&self) -> &str {
        &self.account
    }

    /// Every account the world declares, the learner's included, in id order. Calls may still
    /// act as any other 12-digit account.
    pub fn accounts(&self) -> &BTreeSet<String> {
        &self.accounts
    }

    /// Starts a fresh run on a prepared world: the API-call counter goes back to zero and the
    /// trail is emptied, so that quotas and graders see only what comes next (a lab's setup
    /// calls are neither counted against the learner nor shown as theirs).
    pub fn begin_run(&mut self) {
        self.api_calls = 0;
        self.guest_regex_left = GUEST_REGEX_BUDGET;
        self.trail = Trail::default();
        self.run_started_at = self.now();
    }

    /// When the current run began ([`Cloud::begin_run`]; the world's start time before any),
    /// in seconds since the Unix epoch: graders judge what happened from then on.
    pub fn run_started_at(&self) -> u64 {
        self.run_started_at
    }

    /// Makes sure the account's default VPC, subnets and security group exist in a region.
    pub(crate) fn ensure_account(&mut self, account: &str, region: &str) -> AwsResult<()> {
        // Looking first keeps a shared region shared when nothing needs creating.
        if !self.region_ref(region)?.has_default_network(account) {
            self.region_mut(region)?.ensure_default_network(account);
        }
        Ok(())
    }
}

fn unknown_region(name: &str) -> AwsError {
    AwsError::new(
        "InvalidRegion",
        format!(
            "The region '{name}' is not enabled in this world. Enabled regions: {}",
            REGIONS
                .iter()
                .map(|r| r.name)
                .collect::<Vec<_>>()
                .join(", ")
        ),
    )
}

/// True when `id` is a 12-digit AWS account id.
pub fn is_account_id(id: &str) -> bool {
    id.len() == 12 && id.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn begin_run_clears_the_trail_and_the_call_count() {
        let mut cloud = Cloud::new(WorldConfig {
            regions: vec!["us-east-1".into()],
            ..WorldConfig::default()
        });
        let caller = Caller::new(DEFAULT_ACCOUNT, "us-east-1");
        cloud
            .call(&caller, "ec2", "describe_key_pairs", json!({}))
            .unwrap();
        assert_eq!((cloud.api_calls(), cloud.trail.events().len()), (1, 1));
        cloud.begin_run();
        assert_eq!((cloud.api_calls(), cloud.trail.events().len()), (0, 0));
        cloud
            .call(&caller, "ec2", "describe_key_pairs", json!({}))
            .unwrap();
        assert_eq!(cloud.trail.events()[0].seq, 1);
    }

    fn shares(a: &Cloud, b: &Cloud, region: &str) -> bool {
        Arc::ptr_eq(&a.regions[region], &b.regions[region])
    }

    #[test]
    fn clones_share_regions_until_one_changes() {
        let who = Caller::new(DEFAULT_ACCOUNT, "us-east-1");
        let mut a = Cloud::default();
        a.call(&who, "ec2", "describe_regions", json!({})).unwrap();
        let mut b = a.clone();
        b.call(
            &who,
            "ec2",
            "describe_images",
            json!({"owners": ["amazon"]}),
        )
        .unwrap();
        assert!(shares(&a, &b, "us-east-1"), "reading does not copy");
        b.call(&who, "ec2", "create_key_pair", json!({"key_name": "k"}))
            .unwrap();
        assert!(
            !shares(&a, &b, "us-east-1"),
            "writing copies the region it changes"
        );
        assert!(shares(&a, &b, "eu-west-1"), "...and only that one");
        let keys = |c: &mut Cloud| {
            c.call(&who, "ec2", "describe_key_pairs", json!({}))
                .unwrap()["key_pairs"]
                .as_array()
                .unwrap()
                .len()
        };
        assert_eq!((keys(&mut a), keys(&mut b)), (0, 1));
    }

    #[test]
    fn dry_runs_change_nothing() {
        let who = Caller::new(DEFAULT_ACCOUNT, "us-east-1");
        let mut cloud = Cloud::default();
        let err = cloud
            .call(
                &who,
                "ec2",
                "create_key_pair",
                json!({"key_name": "k", "dry_run": true}),
            )
            .unwrap_err();
        assert_eq!(err, CallError::Aws(AwsError::dry_run_succeeded()));
        let keys = cloud
            .call(&who, "ec2", "describe_key_pairs", json!({}))
            .unwrap();
        assert_eq!(keys["key_pairs"], json!([]));
        assert_eq!(
            cloud.trail.events()[0].error_code.as_deref(),
            Some("DryRunOperation")
        );
    }
}
