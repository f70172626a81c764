// The quotes feature's queries, written once for both databases (see core.rs for the rules).

#[async_trait::async_trait]
impl crate::QuoteTx for BackendTx {}
