//! The AWS API's own spelling of the plan's settings. CloudFormation and hashicorp/aws both pass
//! these values to AWS as they are, so both emitters spell them here, once: an emitter maps a
//! plan value to its target's syntax, and where the two targets' syntax is AWS's, that mapping
//! is shared.

use crate::plan::{
    AnomalyDimension, AssignmentTarget, BudgetType, Comparison, CostFilter, Currency, EndpointType,
    IpProtocol, MonitorType, NotificationType, ObjectOwnership, PolicyType, PrincipalType,
    ThresholdType, TimeUnit,
};

/// A plan value as AWS's API names it.
pub trait AwsName {
    fn aws_name(&self) -> &'static str;
}

impl AwsName for PolicyType {
    fn aws_name(&self) -> &'static str {
        match self {
            PolicyType::ServiceControlPolicy => "SERVICE_CONTROL_POLICY",
        }
    }
}

impl AwsName for PrincipalType {
    fn aws_name(&self) -> &'static str {
        match self {
            PrincipalType::User => "USER",
            PrincipalType::Group => "GROUP",
        }
    }
}

impl AwsName for AssignmentTarget {
    fn aws_name(&self) -> &'static str {
        match self {
            AssignmentTarget::Account => "AWS_ACCOUNT",
        }
    }
}

impl AwsName for ObjectOwnership {
    fn aws_name(&self) -> &'static str {
        match self {
            ObjectOwnership::BucketOwnerEnforced => "BucketOwnerEnforced",
        }
    }
}

impl AwsName for BudgetType {
    fn aws_name(&self) -> &'static str {
        match self {
            BudgetType::Cost => "COST",
        }
    }
}

impl AwsName for TimeUnit {
    fn aws_name(&self) -> &'static str {
        match self {
            TimeUnit::Monthly => "MONTHLY",
        }
    }
}

impl AwsName for Currency {
    fn aws_name(&self) -> &'static str {
        match self {
            Currency::Usd => "USD",
        }
    }
}

impl AwsName for CostFilter {
    /// The filter's dimension; its values are the variant's.
    fn aws_name(&self) -> &'static str {
        match self {
            CostFilter::Service(_) => "Service",
        }
    }
}

impl AwsName for NotificationType {
    fn aws_name(&self) -> &'static str {
        match self {
            NotificationType::Actual => "ACTUAL",
            NotificationType::Forecasted => "FORECASTED",
        }
    }
}

impl AwsName for Comparison {
    fn aws_name(&self) -> &'static str {
        match self {
            Comparison::GreaterThan => "GREATER_THAN",
            Comparison::GreaterThanOrEqual => "GREATER_THAN_OR_EQUAL",
        }
    }
}

impl AwsName for ThresholdType {
    fn aws_name(&self) -> &'static str {
        match self {
            ThresholdType::Percentage => "PERCENTAGE",
        }
    }
}

impl AwsName for MonitorType {
    fn aws_name(&self) -> &'static str {
        match self {
            MonitorType::Custom => "CUSTOM",
        }
    }
}

impl AwsName for AnomalyDimension {
    fn aws_name(&self) -> &'static str {
        match self {
            AnomalyDimension::TotalImpactAbsolute => "ANOMALY_TOTAL_IMPACT_ABSOLUTE",
        }
    }
}

impl AwsName for IpProtocol {
    fn aws_name(&self) -> &'static str {
        match self {
            IpProtocol::Tcp => "tcp",
        }
    }
}

impl AwsName for EndpointType {
    fn aws_name(&self) -> &'static str {
        match self {
            EndpointType::Interface => "Interface",
        }
    }
}

/// The default encryption of a bucket: SSE-KMS with its key, or SSE-S3.
pub fn sse_algorithm(kms: bool) -> &'static str {
    if kms {
        "aws:kms"
    } else {
        "AES256"
    }
}

/// The status of a bucket's versioning.
pub fn versioning_status(versioned: bool) -> &'static str {
    if versioned {
        ENABLED
    } else {
        "Suspended"
    }
}

/// The status of a lifecycle rule the plan has: on.
pub const ENABLED: &str = "Enabled";

/// The protocol of an SNS subscription to an email address.
pub const EMAIL_PROTOCOL: &str = "email";

/// The subscriber type of an anomaly subscription's email addresses.
pub const EMAIL_SUBSCRIBER: &str = "EMAIL";
