//! The image lifecycle controls: EnableImageDeprecation / DisableImageDeprecation, DisableImage /
//! EnableImage, and EnableImageDeregistrationProtection / DisableImageDeregistrationProtection.
//!
//! The rules follow the EC2 API reference and the EC2 User Guide ("Deprecate an AMI", "Disable an
//! AMI", "Protect an Amazon EC2 AMI from deregistration"). Where those pages name no error code,
//! the code amilab answers is said so in the operation's documentation.

use chrono::{DateTime, Months};

use super::*;
use crate::ec2::ReturnTrue;

impl Cloud {
    /// One of the caller's images that is still registered, for a lifecycle control.
    ///
    /// Errors: `InvalidAMIID.Malformed` / `InvalidAMIID.NotFound`; `AuthFailure` for another
    /// account's image; `InvalidAMIID.Unavailable` for a deregistered one (DeregisterImage's own
    /// answer to a second deregistration).
    fn registered_own_image(&mut self, caller: &Caller, id: &str) -> AwsResult<&mut Image> {
        let image = self.owned_image_mut(caller, id)?;
        if !image.is_registered() {
            return Err(AwsError::new(
                "InvalidAMIID.Unavailable",
                format!("The image id '[{id}]' is no longer available"),
            ));
        }
        Ok(image)
    }

    /// EC2 `EnableImageDeprecation`: sets when the image is deprecated, rounded to the nearest
    /// minute (EC2 API reference, EnableImageDeprecation). A deprecated image still launches and
    /// still shows when its id is named, but leaves other accounts' DescribeImages listings unless
    /// they ask with `include_deprecated` ([`Cloud::describe_images`]). A time that has not come
    /// yet does not deprecate the image before it comes. Answers `{return: true}`.
    ///
    /// Rules (EnableImageDeprecation in the API reference, and "Deprecate an AMI" in the user
    /// guide): only the owner may deprecate; "you can't specify a date in the past"; "the upper
    /// limit for DeprecateAt is 10 years from now, except for public AMIs, where the upper limit is
    /// 2 years from the creation date"; and a public image's deprecation cannot be moved to a
    /// later date ("to cancel the deprecation date, or to move the deprecation to a later date,
    /// you must make the AMI private").
    ///
    /// Errors: `InvalidAMIID.Malformed` / `InvalidAMIID.NotFound`; `AuthFailure` for another
    /// account's image; `InvalidAMIID.Unavailable` for a deregistered one;
    /// `InvalidParameterValue` for a time in the past, more than 10 years ahead, more than 2 years
    /// after a public image's creation, or later than a public image's current deprecation time
    /// (AWS documents these limits but not the code: amilab answers EC2's code for a value it
    /// refuses).
    pub fn enable_image_deprecation(
        &mut self,
        caller: &Caller,
        input: EnableImageDeprecationInput,
    ) -> AwsResult<ReturnTrue> {
        let now = self.now();
        let image = self.registered_own_image(caller, &input.image_id)?;
        let now_millis = i64::try_from(now).unwrap_or(i64::MAX).saturating_mul(1000);
        let requested = input.deprecate_at;
        let invalid = |why: String| {
            AwsError::invalid_parameter_value(format!(
                "Invalid value for DeprecateAt: {why} (it is {} now).",
                iso8601(now)
            ))
        };
        let shown = || show_millis(requested.millis());
        if requested.millis() < now_millis {
            return Err(invalid(format!(
                "{} is in the past; you can't specify a date in the past",
                shown()
            )));
        }
        let at = u64::try_from(requested.nearest_minute()).unwrap_or(u64::MAX);
        if at > years_after(now, 10) {
            return Err(invalid(format!(
                "{} is more than 10 years from now",
                shown()
            )));
        }
        if image.is_public() {
            let limit = years_after(image.creation_date, 2);
            if at > limit {
                return Err(invalid(format!(
                    "{} is more than 2 years after the creation date of the public AMI '{}' ({}); make the AMI private to deprecate it later",
                    shown(),
                    image.id,
                    iso8601(image.creation_date)
                )));
            }
            if let Some(current) = image.deprecation_time.as_deref().and_then(parse_iso8601) {
                if at > current {
                    return Err(invalid(format!(
                        "{} is later than the deprecation time of the public AMI '{}' ({}); make the AMI private to move its deprecation later",
                        shown(),
                        image.id,
                        iso8601(current)
                    )));
                }
            }
        }
        image.deprecation_time = Some(iso8601(at));
        Ok(ReturnTrue::yes())
    }

    /// EC2 `DisableImageDeprecation`: cancels the image's deprecation; its `deprecation_time`
    /// goes away and it is listed again (EC2 API reference, DisableImageDeprecation). Cancelling
    /// when no time is set succeeds and changes nothing. Answers `{return: true}`.
    ///
    /// Errors: `InvalidAMIID.Malformed` / `InvalidAMIID.NotFound`; `AuthFailure` for another
    /// account's image; `InvalidAMIID.Unavailable` for a deregistered one;
    /// `UnsupportedOperation` for a public image with a deprecation time ("to cancel the
    /// deprecation date ... you must make the AMI private", EC2 User Guide, "Deprecate an AMI";
    /// the code is amilab's: AWS does not document it).
    pub fn disable_image_deprecation(
        &mut self,
        caller: &Caller,
        input: ImageIdInput,
    ) -> AwsResult<ReturnTrue> {
        let image = self.registered_own_image(caller, &input.image_id)?;
        if image.is_public() && image.deprecation_time.is_some() {
            return Err(AwsError::new(
                "UnsupportedOperation",
                format!(
                    "The deprecation of the public AMI '{}' can't be cancelled. Make the AMI private (remove the launch permission for group 'all') first.",
                    image.id
                ),
            ));
        }
        image.deprecation_time = None;
        Ok(ReturnTrue::yes())
    }

    /// EC2 `DisableImage`: the image becomes `disabled` and loses every launch permission — a
    /// public or shared image is made private, and accounts it was shared with lose access (EC2
    /// API reference, DisableImage; EC2 User Guide, "Disable an AMI"). It can no longer be
    /// launched, copied or shared; DescribeImages leaves it out unless `include_disabled` is set
    /// or its id is named; instances already launched from it are not affected. Its snapshots
    /// stay in use. Disabling a disabled image succeeds and changes nothing. Answers
    /// `{return: true}`.
    ///
    /// Errors: `InvalidAMIID.Malformed` / `InvalidAMIID.NotFound`; `AuthFailure` for another
    /// account's image (only the owner can disable an AMI); `InvalidAMIID.Unavailable` for a
    /// deregistered image, or one that is not `available` yet (amilab's code, as for the other
    /// calls a pending image cannot take: AWS does not document one).
    pub fn disable_image(&mut self, caller: &Caller, input: ImageIdInput) -> AwsResult<ReturnTrue> {
        let image = self.registered_own_image(caller, &input.image_id)?;
        match image.state {
            ImageState::Disabled => return Ok(ReturnTrue::yes()),
            ImageState::Available => {}
            other => {
                return Err(AwsError::new(
                    "InvalidAMIID.Unavailable",
                    format!(
                        "AMI '{}' is {}, and cannot be disabled",
                        image.id,
                        other.as_str()
                    ),
                ))
            }
        }
        image.state = ImageState::Disabled;
        image.launch_permissions = LaunchPermissions::default();
        Ok(ReturnTrue::yes())
    }

    /// EC2 `EnableImage`: a disabled image becomes `available` again, launchable and shareable;
    /// the accounts that lost access when it was disabled do not get it back (EC2 API reference,
    /// EnableImage). Enabling an image that is not disabled succeeds and changes nothing.
    /// Answers `{return: true}`.
    ///
    /// Errors: `InvalidAMIID.Malformed` / `InvalidAMIID.NotFound`; `AuthFailure` for another
    /// account's image (only the owner can re-enable an AMI); `InvalidAMIID.Unavailable` for a
    /// deregistered one.
    pub fn enable_image(&mut self, caller: &Caller, input: ImageIdInput) -> AwsResult<ReturnTrue> {
        let image = self.registered_own_image(caller, &input.image_id)?;
        if image.state == ImageState::Disabled {
            image.state = ImageState::Available;
        }
        Ok(ReturnTrue::yes())
    }

    /// EC2 `EnableImageDeregistrationProtection`: DeregisterImage refuses the image until the
    /// protection is turned off — and, `with_cooldown`, for 24 hours after that (EC2 API
    /// reference; EC2 User Guide, "Protect an Amazon EC2 AMI from deregistration"). Enabling it
    /// again sets the cooldown anew, and during a cooldown turns the protection back on. Works on
    /// pending and disabled images too. Answers the new value: `{return:
    /// "enabled-without-cooldown"}` or `{return: "enabled-with-cooldown"}`.
    ///
    /// Errors: `InvalidAMIID.Malformed` / `InvalidAMIID.NotFound`; `AuthFailure` for another
    /// account's image; `InvalidAMIID.Unavailable` for a deregistered one.
    pub fn enable_image_deregistration_protection(
        &mut self,
        caller: &Caller,
        input: EnableImageDeregistrationProtectionInput,
    ) -> AwsResult<ProtectionOutput> {
        let now = self.now();
        let image = self.registered_own_image(caller, &input.image_id)?;
        image.deregistration_protection = DeregistrationProtection::Enabled {
            cooldown: input.with_cooldown.unwrap_or(false),
        };
        Ok(ProtectionOutput {
            return_: image.deregistration_protection.describe(now),
        })
    }

    /// EC2 `DisableImageDeregistrationProtection`: turns the protection off. If it was enabled
    /// `with_cooldown`, it stays in effect for [`DEREGISTRATION_COOLDOWN`] seconds (24 hours)
    /// more, and DeregisterImage keeps refusing the image until then (EC2 API reference,
    /// DisableImageDeregistrationProtection). Turning off a protection that is off, or already
    /// cooling down, changes nothing (the cooldown is not restarted). Answers the new value:
    /// `{return: "disabled"}`, or during a cooldown `{return: "disabled-until <time>"}`.
    ///
    /// Errors: `InvalidAMIID.Malformed` / `InvalidAMIID.NotFound`; `AuthFailure` for another
    /// account's image; `InvalidAMIID.Unavailable` for a deregistered one.
    pub fn disable_image_deregistration_protection(
        &mut self,
        caller: &Caller,
        input: ImageIdInput,
    ) -> AwsResult<ProtectionOutput> {
        let now = self.now();
        let image = self.registered_own_image(caller, &input.image_id)?;
        image.deregistration_protection = match image.deregistration_protection {
            DeregistrationProtection::Enabled { cooldown: true } => {
                DeregistrationProtection::CoolingDown {
                    until: now.saturating_add(DEREGISTRATION_COOLDOWN),
                }
            }
            DeregistrationProtection::CoolingDown { until } if now < until => {
                DeregistrationProtection::CoolingDown { until }
            }
            _ => DeregistrationProtection::Disabled,
        };
        Ok(ProtectionOutput {
            return_: image.deregistration_protection.describe(now),
        })
    }
}

/// `seconds` plus `years` calendar years (29 February becomes 28 February), or the end of time
/// when that is past what a date can hold.
fn years_after(seconds: u64, years: u32) -> u64 {
    i64::try_from(seconds)
        .ok()
        .and_then(|s| DateTime::from_timestamp(s, 0))
        .and_then(|t| t.checked_add_months(Months::new(12 * years)))
        .and_then(|t| u64::try_from(t.timestamp()).ok())
        .unwrap_or(u64::MAX)
}

/// A requested time as the error messages show it (`2025-07-01T12:00:30.000Z`).
fn show_millis(millis: i64) -> String {
    DateTime::from_timestamp_millis(millis)
        .map(|t| t.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string())
        .unwrap_or_else(|| format!("{} seconds since 1970", millis / 1000))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_are_calendar_years() {
        let start = parse_iso8601("2024-02-29T12:00:00Z").unwrap();
        assert_eq!(iso8601(years_after(start, 2)), "2026-02-28T12:00:00.000Z");
        assert_eq!(years_after(u64::MAX, 10), u64::MAX);
    }

    #[test]
    fn deprecation_times_round_to_the_nearest_minute() {
        let t = |s: &str| {
            serde_json::from_value::<Timestamp>(serde_json::json!(s))
                .unwrap()
                .nearest_minute()
        };
        let minute = parse_iso8601("2025-07-01T12:00:00Z").unwrap() as i64;
        assert_eq!(t("2025-07-01T12:00:29.999Z"), minute);
        assert_eq!(t("2025-07-01T12:00:30Z"), minute + 60);
        assert_eq!(t("2025-07-01T11:59:31Z"), minute);
        assert_eq!(t("2025-07-01T14:00:00+02:00"), minute);
        assert_eq!(t("2025-07-01T12:00:00"), minute);
        assert_eq!(t("2025-07-01"), minute - 12 * 3600);
        let epoch = serde_json::from_value::<Timestamp>(serde_json::json!(minute + 10)).unwrap();
        assert_eq!(epoch.nearest_minute(), minute);
        for bad in [
            serde_json::json!("tomorrow"),
            serde_json::json!(true),
            serde_json::json!(1e300),
            serde_json::json!({}),
        ] {
            assert!(serde_json::from_value::<Timestamp>(bad).is_err());
        }
    }

    #[test]
    fn launches_are_reported_a_day_late_and_the_record_stays_small() {
        let mut h = LaunchHistory::default();
        h.record(1_000);
        assert_eq!(h.last_reported(1_000 + LAST_LAUNCHED_DELAY - 1), None);
        assert_eq!(h.last_reported(1_000 + LAST_LAUNCHED_DELAY), Some(1_000));
        h.record(200_000);
        h.record(200_000);
        assert_eq!(h.last_reported(200_001), Some(1_000));
        assert_eq!(
            h.last_reported(200_000 + LAST_LAUNCHED_DELAY),
            Some(200_000)
        );
        h.record(400_000);
        assert_eq!(h.times, [200_000, 400_000]);
    }

    #[test]
    fn protection_values() {
        use DeregistrationProtection as P;
        assert_eq!(P::Disabled.describe(0), "disabled");
        assert_eq!(
            P::Enabled { cooldown: false }.describe(0),
            "enabled-without-cooldown"
        );
        assert_eq!(
            P::Enabled { cooldown: true }.describe(0),
            "enabled-with-cooldown"
        );
        let cooling = P::CoolingDown { until: 86_400 };
        assert_eq!(
            cooling.describe(0),
            "disabled-until 1970-01-02T00:00:00.000Z"
        );
        assert!(cooling.in_effect(86_399));
        assert!(!cooling.in_effect(86_400));
        assert_eq!(cooling.describe(86_400), "disabled");
    }
}
