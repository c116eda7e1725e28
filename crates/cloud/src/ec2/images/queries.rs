//! DescribeImages, and finding an image the caller may see or change.

use super::*;
use crate::paging::{self, Pager};

impl Cloud {
    /// An image the caller may see in its region, or the right error.
    pub(crate) fn visible_image(&self, region: &str, account: &str, id: &str) -> AwsResult<&Image> {
        check_image_id(id)?;
        self.region_ref(region)?
            .images
            .get(id)
            .filter(|i| i.launchable_by(account))
            .ok_or_else(|| image_not_found(&[id]))
    }

    /// An image the caller owns, for mutations; someone else's visible image is `AuthFailure`.
    pub(super) fn owned_image_mut(&mut self, caller: &Caller, id: &str) -> AwsResult<&mut Image> {
        check_image_id(id)?;
        let region = self.region_mut(&caller.region)?;
        let image = region
            .images
            .get_mut(id)
            .filter(|i| i.launchable_by(&caller.account) || i.owner_id == caller.account)
            .ok_or_else(|| image_not_found(&[id]))?;
        if image.owner_id != caller.account {
            return Err(AwsError::new(
                "AuthFailure",
                format!("Not authorized for image:{id}"),
            ));
        }
        Ok(image)
    }

    /// EC2 `DescribeImages`: the images the caller may launch in its region (public ones, its own,
    /// those shared with it), narrowed by ids, owners, executable users and filters
    /// (EC2-BEHAVIOUR.md, DescribeImages). Deregistered images are not listed. Unless their ids
    /// are named, other accounts' deprecated images are left out without `include_deprecated`
    /// (the caller's own always show), and disabled images without `include_disabled`
    /// (DescribeImages in the EC2 API reference; EC2 User Guide, "Deprecate an AMI" and "Disable
    /// an AMI").
    ///
    /// Pages: `max_results` 5–1000 (more is served as 1000), every image without it; not with
    /// `image_ids` (`paging::DESCRIBE_IMAGES`).
    ///
    /// Errors: `InvalidParameterCombination` for `image_ids` with `max_results`;
    /// `InvalidParameterValue` for a page size below 5, an invalid `next_token`, an unknown
    /// filter name or a filter without a name; `InvalidAMIID.Malformed` for an id not shaped
    /// `ami-…`; `InvalidUserID.Malformed` for an owner that is neither an account id nor
    /// `self`, `amazon`, `aws-marketplace`; `InvalidAMIID.NotFound` naming every listed id that
    /// does not exist or whose image the caller may not launch.
    pub fn describe_images(
        &mut self,
        caller: &Caller,
        input: DescribeImagesInput,
    ) -> AwsResult<DescribeImagesOutput> {
        let pager = Pager::new(
            &paging::DESCRIBE_IMAGES,
            caller,
            input.max_results,
            input.next_token.as_deref(),
            !input.image_ids.is_empty(),
        )?;
        filters::validate::<Image>(&input.filters)?;
        for id in &input.image_ids {
            check_image_id(id)?;
        }
        for owner in &input.owners {
            if !(is_account_id(owner)
                || ["self", "amazon", "aws-marketplace"].contains(&owner.as_str()))
            {
                return Err(AwsError::new(
                    "InvalidUserID.Malformed",
                    format!("Invalid user id: \"{owner}\""),
                ));
            }
        }
        let account = caller.account.as_str();
        let now = self.now();
        let region = self.region_ref(&caller.region)?;
        if !input.image_ids.is_empty() {
            let missing: Vec<&str> = input
                .image_ids
                .iter()
                .map(String::as_str)
                .filter(|id| match region.images.get(*id) {
                    Some(i) => !i.launchable_by(account) && i.is_registered(),
                    None => true,
                })
                .collect();
            if !missing.is_empty() {
                return Err(image_not_found(&missing));
            }
        }
        let owner_matches = |i: &Image| {
            input.owners.is_empty()
                || input.owners.iter().any(|o| match o.as_str() {
                    "self" => i.owner_id == account,
                    "amazon" | "aws-marketplace" => i.owner_alias.as_deref() == Some(o.as_str()),
                    id => i.owner_id == id,
                })
        };
        let executable_matches = |i: &Image| {
            input.executable_users.is_empty()
                || input.executable_users.iter().any(|u| match u.as_str() {
                    "all" => i.is_public(),
                    "self" => i.launch_permissions.user_ids.contains(account),
                    id => i.launch_permissions.user_ids.contains(id),
                })
        };
        let wanted: BTreeSet<&str> = input.image_ids.iter().map(String::as_str).collect();
        // Named ids show whatever their lifecycle; a listing hides what it was not asked for.
        let lifecycle_matches = |i: &Image| {
            !wanted.is_empty()
                || ((i.state != ImageState::Disabled || input.include_disabled == Some(true))
                    && (!i.is_deprecated(now)
                        || i.owner_id == account
                        || input.include_deprecated == Some(true)))
        };
        let matcher = Matcher::new(&input.filters);
        let mut found: Vec<&Image> = candidates(region, &input.image_ids, &input.filters)
            .into_iter()
            .filter(|i| i.launchable_by(account))
            .filter(|i| wanted.is_empty() || wanted.contains(i.id.as_str()))
            .filter(|i| owner_matches(i))
            .filter(|i| executable_matches(i))
            .filter(|i| lifecycle_matches(i))
            .filter(|i| matcher.matches(&ImageSeenBy { image: i, account }))
            .collect();
        found.sort_by_key(|i| i.seq);
        let (page, next_token) = pager.page(found, |i| paging::seq_key(i.seq));
        Ok(DescribeImagesOutput {
            images: page.into_iter().map(|i| i.describe(account, now)).collect(),
            next_token,
        })
    }
}

/// The images worth filtering: the named ids, or those whose name starts with the literal
/// prefix of every `name` filter pattern (found through the name index), or else all of them.
/// Every filter still applies to the candidates; this only avoids visiting images that cannot
/// match.
pub(super) fn candidates<'r>(
    region: &'r crate::ec2::RegionState,
    image_ids: &[String],
    filters: &[Filter],
) -> Vec<&'r Image> {
    if !image_ids.is_empty() {
        let ids: BTreeSet<&str> = image_ids.iter().map(String::as_str).collect();
        return ids
            .into_iter()
            .filter_map(|id| region.images.get(id))
            .collect();
    }
    let prefixes: Option<Vec<&str>> = filters
        .iter()
        .find(|f| f.name.as_deref() == Some("name"))
        .and_then(|f| f.values.as_deref())
        .map(|patterns| {
            patterns
                .iter()
                .map(|p| &p[..p.find(['*', '?']).unwrap_or(p.len())])
                .collect()
        });
    match prefixes {
        Some(prefixes) if prefixes.iter().all(|p| !p.is_empty()) => {
            let mut ids = BTreeSet::new();
            for prefix in prefixes {
                let start = (prefix.to_string(), String::new());
                ids.extend(
                    region
                        .image_names
                        .range(start..)
                        .take_while(|((name, _), _)| name.starts_with(prefix))
                        .map(|(_, id)| id.as_str()),
                );
            }
            ids.into_iter()
                .filter_map(|id| region.images.get(id))
                .collect()
        }
        _ => region.images.values().collect(),
    }
}
