//! AWS Marketplace subscriptions: an image carrying a marketplace product code launches only for
//! an account subscribed to that product.
//!
//! Subscribing means accepting the product's terms on its marketplace page, which has no EC2 API:
//! the world declares who is subscribed ([`crate::WorldConfig::subscriptions`]). The product code
//! follows the software into images derived from it (CreateImage from an instance launched from
//! it, CopyImage of such an image, which only its owner may copy), so those need the subscription
//! too, the owner's launches included (AWS Marketplace Buyer Guide, "Subscribing to products";
//! EC2 User Guide, "Paid AMIs").

use crate::error::{AwsError, AwsResult};
use crate::Cloud;

/// The marketplace page where an account subscribes to a product: its `sku` is the product code.
pub fn subscription_page(product_code: &str) -> String {
    format!("https://aws.amazon.com/marketplace/pp?sku={product_code}")
}

/// `OptInRequired` (HTTP 401), AWS's answer to a launch of a marketplace product the account is not
/// subscribed to.
pub(crate) fn opt_in_required(product_code: &str) -> AwsError {
    AwsError::new(
        "OptInRequired",
        format!(
            "In order to use this AWS Marketplace product you need to accept terms and subscribe. To do so please visit {}",
            subscription_page(product_code)
        ),
    )
    .with_status(401)
}

impl Cloud {
    /// Whether `account` is subscribed to the marketplace product `product_code`.
    pub fn is_subscribed(&self, account: &str, product_code: &str) -> bool {
        self.subscriptions
            .contains(&(account.to_string(), product_code.to_string()))
    }

    /// Every (account, product code) subscription the world declares, sorted.
    pub fn subscriptions(&self) -> &std::collections::BTreeSet<(String, String)> {
        &self.subscriptions
    }

    /// Refuses a launch by `account` of an image carrying a product code it is not subscribed to:
    /// `OptInRequired`, naming the first such code's marketplace page.
    pub(crate) fn check_subscribed(
        &self,
        account: &str,
        product_codes: &[String],
    ) -> AwsResult<()> {
        match product_codes
            .iter()
            .find(|code| !self.is_subscribed(account, code))
        {
            Some(code) => Err(opt_in_required(code)),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::WorldConfig;

    #[test]
    fn only_subscribed_accounts_pass() {
        let mut config = WorldConfig::default();
        config
            .subscriptions
            .insert(("111111111111".into(), "abc".into()));
        let cloud = Cloud::new(config);
        assert!(cloud
            .check_subscribed("111111111111", &["abc".into()])
            .is_ok());
        assert!(cloud.check_subscribed("222222222222", &[]).is_ok());
        let err = cloud
            .check_subscribed("222222222222", &["abc".into()])
            .unwrap_err();
        assert_eq!((err.code.as_str(), err.http_status), ("OptInRequired", 401));
        assert_eq!(
            err.message,
            "In order to use this AWS Marketplace product you need to accept terms and subscribe. To do so please visit https://aws.amazon.com/marketplace/pp?sku=abc"
        );
    }
}
