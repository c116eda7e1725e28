//! What every operation's input shares: the crate-private `request!` macro that declares an
//! input struct (unknown keys refused, EC2's common members spelled once, the members it does
//! not simulate) and the [`Request`] trait through which [`crate::api`] asks a decoded input
//! whether it is a dry run.

/// An operation's decoded input.
pub trait Request {
    /// True when the caller asked for a dry run (`dry_run: true`). Only EC2 operations have
    /// that member (botocore's `DryRun`); an input without it is never a dry run, because
    /// decoding it already refused the key as an unknown parameter.
    fn dry_run(&self) -> bool;

    /// Members of the operation's botocore input shape that the simulation does not simulate,
    /// as boto3 key paths: `cpu_options` for a top-level member, `placement.group_name` for a
    /// member of a structure (through lists too: `block_device_mappings.ebs.outpost_arn`).
    /// boto3 accepts them, so naming them is not a parameter error; the call is refused with
    /// [`crate::CallError::NotSimulated`] instead of answering as if they had no effect.
    fn not_simulated() -> &'static [&'static str]
    where
        Self: Sized;
}

/// Declares an operation's input struct and its [`Request`] impl.
///
/// The struct gets `Debug`, `Clone`, serde's `Deserialize` and `Serialize`, and
/// `#[serde(deny_unknown_fields)]`: an unknown key is boto3's `ParamValidationError`, whose
/// message lists the valid keys in declaration order (see `api::param_message`). Further
/// attributes (a doc comment, `#[derive(Default)]`) go before `struct` as usual.
///
/// Besides ordinary fields, the body takes four markers. Three stand for members that many
/// operations share, so they are spelled once; each goes where the members belong in the
/// operation's key order, which error messages show:
/// - `..filters` — `filters: Vec<Filter>`, EC2's `Filters` (`[{name, values}]`);
/// - `..paging` — `max_results: Option<i64>` and `next_token: Option<String>`, the
///   `MaxResults` / `NextToken` of EC2 and SSM, which the operation hands to a `paging::Pager`;
/// - `..dry_run` — `dry_run: Option<bool>`, EC2's `DryRun`, which [`Request::dry_run`] then
///   reads. Without it, `dry_run` is `false` for every value of the type.
///
/// The fourth, `..not_simulated["cpu_options", "placement.group_name"]`, adds no field: it lists
/// the members of botocore's input shape that the simulation refuses as not simulated
/// ([`Request::not_simulated`]). The conformance test holds the list to botocore's model: every
/// member of the shape is a field or listed here, and every listed path is in the model.
///
/// The example is not run as a doctest: doctests are compiled as a crate of their own, and the
/// macro is private to this one. `tests::the_documented_example_expands` declares the same
/// struct and checks what it expands to.
///
/// ```ignore
/// request! {
///     #[derive(Default)]
///     pub struct DescribeVpcsInput {
///         #[serde(default)]
///         pub vpc_ids: Vec<String>,
///         ..filters,
///         ..paging,
///         ..dry_run,
///     }
/// }
/// ```
macro_rules! request {
    // Entry: a struct definition.
    (
        $(#[$attr:meta])*
        $vis:vis struct $name:ident { $($body:tt)* }
    ) => {
        $crate::request::request!(@fields
            [$(#[$attr])* $vis struct $name]
            []
            [no_dry_run []]
            $($body)*
        );
    };

    // The markers, expanded in place.
    (@fields $head:tt [$($acc:tt)*] $dry:tt ..filters $(, $($rest:tt)*)?) => {
        $crate::request::request!(@fields $head [$($acc)*
            /// EC2's `Filters`: each `{name, values}` narrows the answer; an unknown filter
            /// name is refused as EC2 refuses it.
            #[serde(default)]
            pub filters: ::std::vec::Vec<$crate::ec2::filters::Filter>,
        ] $dry $($($rest)*)?);
    };
    (@fields $head:tt [$($acc:tt)*] $dry:tt ..paging $(, $($rest:tt)*)?) => {
        $crate::request::request!(@fields $head [$($acc)*
            /// `MaxResults`: at most this many items in the answer's page; its range, what a
            /// value out of it gets and the page size without it are the operation's (see
            /// its documentation).
            pub max_results: ::std::option::Option<i64>,
            /// `NextToken`: the `next_token` of the previous page, to get the page after it;
            /// absent, the first page. A token the operation did not make for this account and
            /// region is refused.
            pub next_token: ::std::option::Option<::std::string::String>,
        ] $dry $($($rest)*)?);
    };
    (@fields $head:tt [$($acc:tt)*] [$flag:ident $ns:tt] ..dry_run $(, $($rest:tt)*)?) => {
        $crate::request::request!(@fields $head [$($acc)*
            /// `DryRun`: check everything the call would, change nothing, and answer
            /// `DryRunOperation` (or the error the real call would meet).
            pub dry_run: ::std::option::Option<bool>,
        ] [has_dry_run $ns] $($($rest)*)?);
    };
    (@fields $head:tt $acc:tt [$flag:ident $old:tt]
        ..not_simulated [$($path:literal),* $(,)?] $(, $($rest:tt)*)?
    ) => {
        $crate::request::request!(@fields $head $acc [$flag [$($path),*]] $($($rest)*)?);
    };

    // Every field read: the struct, and how its dry-run flag is read.
    (@fields [$($head:tt)*] [$($acc:tt)*] [$dry:ident [$($path:literal),*]]) => {
        #[derive(Debug, Clone, ::serde::Deserialize, ::serde::Serialize, ::schemars::JsonSchema)]
        #[serde(deny_unknown_fields)]
        $($head)* { $($acc)* }

        $crate::request::request!(@dry_run [$($head)*] $dry [$($path),*]);
    };

    // An ordinary field, kept as written.
    (@fields $head:tt [$($acc:tt)*] $dry:tt
        $(#[$fattr:meta])* $fvis:vis $field:ident : $ty:ty $(, $($rest:tt)*)?
    ) => {
        $crate::request::request!(@fields $head [$($acc)*
            $(#[$fattr])* $fvis $field: $ty,
        ] $dry $($($rest)*)?);
    };

    (@dry_run [$(#[$attr:meta])* $vis:vis struct $name:ident] has_dry_run [$($path:literal),*]) => {
        impl $crate::request::Request for $name {
            fn dry_run(&self) -> bool {
                self.dry_run == ::std::option::Option::Some(true)
            }
            fn not_simulated() -> &'static [&'static str] {
                &[$($path),*]
            }
        }
    };
    (@dry_run [$(#[$attr:meta])* $vis:vis struct $name:ident] no_dry_run [$($path:literal),*]) => {
        impl $crate::request::Request for $name {
            fn dry_run(&self) -> bool {
                false
            }
            fn not_simulated() -> &'static [&'static str] {
                &[$($path),*]
            }
        }
    };
}

pub(crate) use request;

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    request! {
        /// Markers between ordinary fields, in the order written.
        #[derive(Default)]
        pub struct Probe {
            pub first: Option<String>,
            ..filters,
            pub middle: Option<bool>,
            ..paging,
            ..dry_run,
        }
    }

    request! {
        pub struct NoDryRun {
            pub name: String,
            ..not_simulated["colour", "shape.size"],
            ..paging
        }
    }

    request! {
        #[derive(Default)]
        pub struct Empty {}
    }

    fn unknown_field_message<T: serde::de::DeserializeOwned + std::fmt::Debug>() -> String {
        serde_json::from_value::<T>(json!({"zzz": 1}))
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn markers_expand_in_place_and_unknown_keys_are_refused() {
        assert_eq!(
            unknown_field_message::<Probe>(),
            "unknown field `zzz`, expected one of `first`, `filters`, `middle`, `max_results`, `next_token`, `dry_run`"
        );
        assert_eq!(
            unknown_field_message::<NoDryRun>(),
            "unknown field `zzz`, expected one of `name`, `max_results`, `next_token`"
        );
        assert_eq!(
            unknown_field_message::<Empty>(),
            "unknown field `zzz`, there are no fields"
        );
        let probe: Probe = serde_json::from_value(
            json!({"filters": [{"name": "state", "values": ["running"]}], "max_results": 5}),
        )
        .unwrap();
        assert_eq!(probe.filters.len(), 1);
        assert_eq!((probe.max_results, probe.next_token), (Some(5), None));
        // `filters` may be left out.
        assert!(Probe::default().filters.is_empty());
    }

    // The example of the macro's documentation, word for word.
    request! {
        #[derive(Default)]
        pub struct DescribeVpcsInput {
            #[serde(default)]
            pub vpc_ids: Vec<String>,
            ..filters,
            ..paging,
            ..dry_run,
        }
    }

    #[test]
    fn the_documented_example_expands() {
        assert_eq!(
            unknown_field_message::<DescribeVpcsInput>(),
            "unknown field `zzz`, expected one of `vpc_ids`, `filters`, `max_results`, `next_token`, `dry_run`"
        );
        let input: DescribeVpcsInput =
            serde_json::from_value(json!({"vpc_ids": ["vpc-1"], "dry_run": true})).unwrap();
        assert_eq!(input.vpc_ids, ["vpc-1"]);
        assert!(input.dry_run());
        assert!(!DescribeVpcsInput::default().dry_run());
    }

    #[test]
    fn dry_run_is_read_from_the_field_when_there_is_one() {
        let probe = |v| serde_json::from_value::<Probe>(v).unwrap().dry_run();
        assert!(probe(json!({"dry_run": true})));
        assert!(!probe(json!({"dry_run": false})));
        assert!(!probe(json!({"dry_run": null})));
        assert!(!probe(json!({})));
        let plain: NoDryRun = serde_json::from_value(json!({"name": "n"})).unwrap();
        assert!(!plain.dry_run());
        assert!(serde_json::from_value::<NoDryRun>(json!({"name": "n", "dry_run": true})).is_err());
        assert!(!Empty::default().dry_run());
    }

    #[test]
    fn not_simulated_lists_what_the_marker_names_and_adds_no_field() {
        assert_eq!(NoDryRun::not_simulated(), ["colour", "shape.size"]);
        assert_eq!(Probe::not_simulated(), [] as [&str; 0]);
        assert!(serde_json::from_value::<NoDryRun>(json!({"name": "n", "colour": "red"})).is_err());
    }
}
