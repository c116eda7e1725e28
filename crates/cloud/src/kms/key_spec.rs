//! KMS key specs: which key usages each spec allows and which algorithms a key of it offers, as
//! `CreateKey` checks them and `DescribeKey` shows them.
//!
//! Source: the AWS KMS Developer Guide, "Key spec reference" (symmetric, RSA, elliptic curve,
//! HMAC, ML-DSA and ML-KEM key specs), and botocore's `kms` model for the enum values.

use crate::error::AwsError;

/// What one key spec allows and offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct KeySpec {
    /// The spec's name (`SYMMETRIC_DEFAULT`, `RSA_2048`, …).
    pub name: &'static str,
    /// The key usages a key of this spec may have; the first is not a default (only
    /// `SYMMETRIC_DEFAULT` has one, `ENCRYPT_DECRYPT`).
    pub usages: &'static [&'static str],
    /// `EncryptionAlgorithms` of an `ENCRYPT_DECRYPT` key.
    pub encryption: &'static [&'static str],
    /// `SigningAlgorithms` of a `SIGN_VERIFY` key.
    pub signing: &'static [&'static str],
    /// `MacAlgorithms` of a `GENERATE_VERIFY_MAC` key.
    pub mac: &'static [&'static str],
    /// `KeyAgreementAlgorithms` of a `KEY_AGREEMENT` key.
    pub key_agreement: &'static [&'static str],
    /// `EncapsulationAlgorithms` of an `ENCAPSULATE_DECAPSULATE` key.
    pub encapsulation: &'static [&'static str],
    /// Whether the spec is also a value of the deprecated `CustomerMasterKeySpec`.
    pub legacy_name: bool,
}

const RSA_ENCRYPTION: &[&str] = &["RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256"];
const RSA_SIGNING: &[&str] = &[
    "RSASSA_PKCS1_V1_5_SHA_256",
    "RSASSA_PKCS1_V1_5_SHA_384",
    "RSASSA_PKCS1_V1_5_SHA_512",
    "RSASSA_PSS_SHA_256",
    "RSASSA_PSS_SHA_384",
    "RSASSA_PSS_SHA_512",
];
const NONE: &[&str] = &[];

const fn spec(name: &'static str, usages: &'static [&'static str]) -> KeySpec {
    KeySpec {
        name,
        usages,
        encryption: NONE,
        signing: NONE,
        mac: NONE,
        key_agreement: NONE,
        encapsulation: NONE,
        legacy_name: true,
    }
}

const fn rsa(name: &'static str) -> KeySpec {
    KeySpec {
        encryption: RSA_ENCRYPTION,
        signing: RSA_SIGNING,
        ..spec(name, &["ENCRYPT_DECRYPT", "SIGN_VERIFY"])
    }
}

const fn ecc(name: &'static str, signing: &'static [&'static str], agreement: bool) -> KeySpec {
    KeySpec {
        signing,
        key_agreement: if agreement { &["ECDH"] } else { NONE },
        ..spec(
            name,
            if agreement {
                &["SIGN_VERIFY", "KEY_AGREEMENT"]
            } else {
                &["SIGN_VERIFY"]
            },
        )
    }
}

const fn hmac(name: &'static str, mac: &'static [&'static str]) -> KeySpec {
    KeySpec {
        mac,
        ..spec(name, &["GENERATE_VERIFY_MAC"])
    }
}

const fn ml_dsa(name: &'static str) -> KeySpec {
    KeySpec {
        signing: &["ML_DSA_SHAKE_256"],
        legacy_name: false,
        ..spec(name, &["SIGN_VERIFY"])
    }
}

const fn ml_kem(name: &'static str) -> KeySpec {
    KeySpec {
        encapsulation: &["ML_KEM"],
        legacy_name: false,
        ..spec(name, &["ENCAPSULATE_DECAPSULATE"])
    }
}

/// Every key spec the simulation creates keys of. `SM2` is left out: KMS offers it only in the
/// China Regions, which the simulation does not have.
pub(crate) const KEY_SPECS: &[KeySpec] = &[
    KeySpec {
        encryption: &["SYMMETRIC_DEFAULT"],
        ..spec("SYMMETRIC_DEFAULT", &["ENCRYPT_DECRYPT"])
    },
    rsa("RSA_2048"),
    rsa("RSA_3072"),
    rsa("RSA_4096"),
    ecc("ECC_NIST_P256", &["ECDSA_SHA_256"], true),
    ecc("ECC_NIST_P384", &["ECDSA_SHA_384"], true),
    ecc("ECC_NIST_P521", &["ECDSA_SHA_512"], true),
    ecc("ECC_SECG_P256K1", &["ECDSA_SHA_256"], false),
    KeySpec {
        legacy_name: false,
        ..ecc(
            "ECC_NIST_EDWARDS25519",
            &["ED25519_SHA_512", "ED25519_PH_SHA_512"],
            false,
        )
    },
    hmac("HMAC_224", &["HMAC_SHA_224"]),
    hmac("HMAC_256", &["HMAC_SHA_256"]),
    hmac("HMAC_384", &["HMAC_SHA_384"]),
    hmac("HMAC_512", &["HMAC_SHA_512"]),
    ml_dsa("ML_DSA_44"),
    ml_dsa("ML_DSA_65"),
    ml_dsa("ML_DSA_87"),
    ml_kem("ML_KEM_512"),
    ml_kem("ML_KEM_768"),
    ml_kem("ML_KEM_1024"),
];

/// The key usages KMS knows (botocore's `KeyUsageType`).
const KEY_USAGES: &[&str] = &[
    "ENCRYPT_DECRYPT",
    "SIGN_VERIFY",
    "GENERATE_VERIFY_MAC",
    "KEY_AGREEMENT",
    "ENCAPSULATE_DECAPSULATE",
];

/// KMS's answer to a request member outside its enum, in the JSON protocol's wording.
fn not_in_enum(value: &str, member: &str, allowed: &[&str]) -> AwsError {
    AwsError::new(
        "ValidationException",
        format!(
            "1 validation error detected: Value '{value}' at '{member}' failed to satisfy constraint: Member must satisfy enum value set: [{}]",
            allowed.join(", ")
        ),
    )
}

/// The spec and usage of a new key, from CreateKey's `KeySpec`, its deprecated twin
/// `CustomerMasterKeySpec` and `KeyUsage`.
///
/// Errors (`ValidationException`): a value outside the enum; both spec members at once; a
/// usage the spec does not allow (a spec other than `SYMMETRIC_DEFAULT` needs an explicit
/// `KeyUsage`). `SM2` is `UnsupportedOperationException` (China Regions only).
pub(crate) fn choose(
    key_spec: Option<&str>,
    customer_master_key_spec: Option<&str>,
    key_usage: Option<&str>,
) -> Result<(&'static KeySpec, &'static str), AwsError> {
    let (spec_name, member) = match (key_spec, customer_master_key_spec) {
        (Some(_), Some(_)) => {
            return Err(AwsError::new(
                "ValidationException",
                "You cannot specify KeySpec and CustomerMasterKeySpec in the same request. CustomerMasterKeySpec is deprecated; use KeySpec.",
            ))
        }
        (Some(s), None) => (s, "keySpec"),
        (None, Some(s)) => (s, "customerMasterKeySpec"),
        (None, None) => ("SYMMETRIC_DEFAULT", "keySpec"),
    };
    if spec_name == "SM2" {
        return Err(AwsError::new(
            "UnsupportedOperationException",
            "KeySpec SM2 is supported only in the China Regions.",
        ));
    }
    let spec = KEY_SPECS
        .iter()
        .find(|s| s.name == spec_name && (member == "keySpec" || s.legacy_name))
        .ok_or_else(|| {
            let names: Vec<&str> = KEY_SPECS
                .iter()
                .filter(|s| member == "keySpec" || s.legacy_name)
                .map(|s| s.name)
                .chain(["SM2"])
                .collect();
            not_in_enum(spec_name, member, &names)
        })?;
    let usage = match key_usage {
        Some(u) => KEY_USAGES
            .iter()
            .copied()
            .find(|k| *k == u)
            .ok_or_else(|| not_in_enum(u, "keyUsage", KEY_USAGES))?,
        None => "ENCRYPT_DECRYPT",
    };
    if !spec.usages.contains(&usage) {
        let hint = if key_usage.is_none() {
            format!(
                " Specify KeyUsage ({}) for a {} key.",
                spec.usages.join(" or "),
                spec.name
            )
        } else {
            format!(" A {} key may be {}.", spec.name, spec.usages.join(" or "))
        };
        return Err(AwsError::new(
            "ValidationException",
            format!(
                "KeyUsage {usage} is not compatible with KeySpec {}.{hint}",
                spec.name
            ),
        ));
    }
    Ok((spec, usage))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn symmetric_encryption_is_the_default() {
        let (spec, usage) = choose(None, None, None).unwrap();
        assert_eq!((spec.name, usage), ("SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT"));
        assert_eq!(spec.encryption, ["SYMMETRIC_DEFAULT"]);
    }

    #[test]
    fn each_spec_takes_only_its_usages() {
        assert_eq!(
            choose(Some("RSA_2048"), None, Some("SIGN_VERIFY"))
                .unwrap()
                .1,
            "SIGN_VERIFY"
        );
        assert_eq!(
            choose(None, Some("HMAC_256"), Some("GENERATE_VERIFY_MAC"))
                .unwrap()
                .0
                .mac,
            ["HMAC_SHA_256"]
        );
        let err = choose(Some("HMAC_256"), None, None).unwrap_err();
        assert_eq!(err.code, "ValidationException");
        assert!(
            err.message
                .contains("Specify KeyUsage (GENERATE_VERIFY_MAC)"),
            "{}",
            err.message
        );
        let err = choose(Some("SYMMETRIC_DEFAULT"), None, Some("SIGN_VERIFY")).unwrap_err();
        assert!(
            err.message
                .contains("A SYMMETRIC_DEFAULT key may be ENCRYPT_DECRYPT."),
            "{}",
            err.message
        );
    }

    #[test]
    fn values_outside_the_enums_are_refused_as_kms_refuses_them() {
        let err = choose(Some("AES_256"), None, None).unwrap_err();
        assert!(err
            .message
            .starts_with("1 validation error detected: Value 'AES_256' at 'keySpec'"));
        // The deprecated member never had the post-quantum specs.
        let err = choose(None, Some("ML_DSA_44"), Some("SIGN_VERIFY")).unwrap_err();
        assert!(
            err.message.contains("at 'customerMasterKeySpec'"),
            "{}",
            err.message
        );
        assert_eq!(
            choose(None, None, Some("ENCRYPT")).unwrap_err().code,
            "ValidationException"
        );
        assert_eq!(
            choose(Some("RSA_2048"), Some("RSA_2048"), None)
                .unwrap_err()
                .code,
            "ValidationException"
        );
        assert_eq!(
            choose(Some("SM2"), None, None).unwrap_err().code,
            "UnsupportedOperationException"
        );
    }
}
