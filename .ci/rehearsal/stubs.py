"""Answers for the calls moto 5.2.5 does not implement, registered on moto's own response classes.

moto dispatches a JSON-protocol call `Service.DoThing` to the method `do_thing` of the service's
response class and fails with NotImplementedError when there is none (Terraform then retries for
minutes). Each function below becomes such a method: it sees the request (`self.body`) and the
caller's account (`self.current_account`) exactly as moto's own methods do. They keep just enough
state for Terraform to create, read back (so that a re-plan is a real comparison with what was
created), update and delete the resource. Why each one exists is in README.md ("Stubs").
"""
import json
import uuid

from moto.budgets.responses import BudgetsResponse
from moto.ce.responses import CostExplorerResponse
from moto.core.responses import ActionResult
from moto.s3.models import FakeBucket
from moto.s3.responses import S3Response
from moto.ssoadmin.responses import SSOAdminResponse

# Cost Explorer anomaly monitors and subscriptions, by ARN (the ARN names the account).
_monitors = {}
_subscriptions = {}


def _ce_arn(self, kind):
    return f"arn:aws:ce::{self.current_account}:{kind}/{uuid.uuid4()}"


def create_anomaly_monitor(self):
    params = json.loads(self.body)
    monitor = dict(params["AnomalyMonitor"])
    monitor["MonitorArn"] = _ce_arn(self, "anomalymonitor")
    monitor.setdefault("CreationDate", "2026-01-01")
    monitor["LastUpdatedDate"] = monitor["CreationDate"]
    _monitors[monitor["MonitorArn"]] = monitor
    if params.get("ResourceTags"):
        self.ce_backend.tag_resource(monitor["MonitorArn"], params["ResourceTags"])
    return json.dumps({"MonitorArn": monitor["MonitorArn"]})


def get_anomaly_monitors(self):
    params = json.loads(self.body)
    wanted = params.get("MonitorArnList") or list(_monitors)
    found = [_monitors[a] for a in wanted if a in _monitors]
    if params.get("MonitorArnList") and not found:
        raise _not_found("UnknownMonitorException", "No anomaly monitor with that ARN")
    return json.dumps({"AnomalyMonitors": found})


def update_anomaly_monitor(self):
    params = json.loads(self.body)
    monitor = _monitors.get(params["MonitorArn"])
    if monitor is None:
        raise _not_found("UnknownMonitorException", "No anomaly monitor with that ARN")
    if "MonitorName" in params:
        monitor["MonitorName"] = params["MonitorName"]
    return json.dumps({"MonitorArn": params["MonitorArn"]})


def delete_anomaly_monitor(self):
    _monitors.pop(json.loads(self.body)["MonitorArn"], None)
    return "{}"


def create_anomaly_subscription(self):
    params = json.loads(self.body)
    sub = dict(params["AnomalySubscription"])
    sub["SubscriptionArn"] = _ce_arn(self, "anomalysubscription")
    sub.setdefault("AccountId", self.current_account)
    _subscriptions[sub["SubscriptionArn"]] = sub
    if params.get("ResourceTags"):
        self.ce_backend.tag_resource(sub["SubscriptionArn"], params["ResourceTags"])
    return json.dumps({"SubscriptionArn": sub["SubscriptionArn"]})


def get_anomaly_subscriptions(self):
    params = json.loads(self.body)
    wanted = params.get("SubscriptionArnList") or list(_subscriptions)
    found = [_subscriptions[a] for a in wanted if a in _subscriptions]
    if params.get("SubscriptionArnList") and not found:
        raise _not_found("UnknownSubscriptionException", "No anomaly subscription with that ARN")
    return json.dumps({"AnomalySubscriptions": found})


def update_anomaly_subscription(self):
    params = json.loads(self.body)
    sub = _subscriptions.get(params["SubscriptionArn"])
    if sub is None:
        raise _not_found("UnknownSubscriptionException", "No anomaly subscription with that ARN")
    for key in ("Frequency", "MonitorArnList", "Subscribers", "SubscriptionName", "Threshold", "ThresholdExpression"):
        if key in params:
            sub[key] = params[key]
    return json.dumps({"SubscriptionArn": params["SubscriptionArn"]})


def delete_anomaly_subscription(self):
    _subscriptions.pop(json.loads(self.body)["SubscriptionArn"], None)
    return "{}"


def _not_found(code, message):
    from moto.core.exceptions import JsonRESTError

    return JsonRESTError(code, message)


# IAM Identity Center tags: moto stores a permission set's tags at creation but has no tag calls.
_sso_tags = {}


def _permission_set_tags(self, arn):
    if arn not in _sso_tags:
        for ps in self.ssoadmin_backend.permission_sets:
            if ps.permission_set_arn == arn:
                _sso_tags[arn] = {t["Key"]: t["Value"] for t in ps.tags or []}
    return _sso_tags.setdefault(arn, {})


def sso_list_tags_for_resource(self):
    tags = _permission_set_tags(self, json.loads(self.body)["ResourceArn"])
    return json.dumps({"Tags": [{"Key": k, "Value": v} for k, v in sorted(tags.items())]})


def sso_tag_resource(self):
    params = json.loads(self.body)
    _permission_set_tags(self, params["ResourceArn"]).update({t["Key"]: t["Value"] for t in params["Tags"]})
    return "{}"


def sso_untag_resource(self):
    params = json.loads(self.body)
    tags = _permission_set_tags(self, params["ResourceArn"])
    for key in params["TagKeys"]:
        tags.pop(key, None)
    return "{}"


# moto's check that a logging target bucket lets S3 deliver logs reads only the string forms of a
# policy (`"Principal": {"Service": "..."}`, `"Resource": "..."`) and fails with a 500 on a
# statement whose Principal is "*" or whose elements are lists, which IAM accepts alike. This
# version is the same check on both forms; it still refuses a target bucket without the grant.
def _log_permissions_enabled_policy(target_bucket, target_prefix):
    if not target_bucket.policy:
        return False

    def listed(value):
        return value if isinstance(value, list) else [value]

    allowed = {f"arn:{target_bucket.partition}:s3:::{target_bucket.name}/{target_prefix or ''}*",
               f"arn:{target_bucket.partition}:s3:::{target_bucket.name}/*",
               f"arn:{target_bucket.partition}:s3:::{target_bucket.name}"}
    for stmt in json.loads(target_bucket.policy.decode())["Statement"]:
        principal = stmt.get("Principal")
        services = listed(principal.get("Service", [])) if isinstance(principal, dict) else []
        if (stmt.get("Effect") == "Allow" and "logging.s3.amazonaws.com" in services
                and "s3:PutObject" in listed(stmt.get("Action", []))
                and allowed.intersection(listed(stmt.get("Resource", [])))):
            return True
    return False


# moto provisions a permission set at once (ProvisionPermissionSet answers SUCCEEDED) but has no
# status call, which the provider polls after every change of a permission set's policies.
def describe_permission_set_provisioning_status(self):
    params = json.loads(self.body)
    return json.dumps({"PermissionSetProvisioningStatus": {
        "AccountId": self.current_account, "RequestId": params["ProvisionPermissionSetRequestId"],
        "Status": "SUCCEEDED"}})


# moto keeps a budget's notifications with their subscribers but has no call to read the
# subscribers back, which the provider does on every read of a budget.
def describe_subscribers_for_notification(self):
    params = json.loads(self.body)
    budget = self.backend.budgets.get(params["AccountId"], {}).get(params["BudgetName"])
    if budget is None:
        raise _not_found("NotFoundException", f"Budget {params['BudgetName']} does not exist")
    keys = ("NotificationType", "ComparisonOperator", "Threshold", "ThresholdType")
    for notification in budget.notifications:
        if all(notification.details.get(k) == params["Notification"].get(k) for k in keys):
            return json.dumps({"Subscribers": notification.subscribers})
    raise _not_found("NotFoundException", "No such notification")


# Budget tags: moto takes CreateBudget's ResourceTags and drops them, and has no tag calls; the
# provider reads a budget's tags back (its default_tags) and would see them vanish.
_budget_tags = {}


def _wrap_create_budget(original):
    def create_budget(self):
        answer = original(self)
        params = json.loads(self.body)
        arn = f"arn:aws:budgets::{params['AccountId']}:budget/{params['Budget']['BudgetName']}"
        _budget_tags[arn] = {t["Key"]: t["Value"] for t in params.get("ResourceTags") or []}
        return answer

    return create_budget


def budgets_list_tags_for_resource(self):
    tags = _budget_tags.get(json.loads(self.body)["ResourceARN"], {})
    return json.dumps({"ResourceTags": [{"Key": k, "Value": v} for k, v in sorted(tags.items())]})


def budgets_tag_resource(self):
    params = json.loads(self.body)
    _budget_tags.setdefault(params["ResourceARN"], {}).update(
        {t["Key"]: t["Value"] for t in params["ResourceTags"]})
    return "{}"


def budgets_untag_resource(self):
    params = json.loads(self.body)
    for key in params["ResourceTagKeys"]:
        _budget_tags.get(params["ResourceARN"], {}).pop(key, None)
    return "{}"


# moto stores a bucket's EventBridgeConfiguration (an empty element that turns the delivery on)
# but leaves it out of GetBucketNotificationConfiguration, so every read says "off".
def _wrap_get_bucket_notification(original):
    def get_bucket_notification(self):
        config = self.backend.get_bucket_notification_configuration(self.bucket_name)
        if not config or config.event_bridge is None:
            return original(self)

        def entry(item, arn_key):
            found = {"Id": item.id, arn_key: item.arn, "Events": item.events}
            if item.filters:
                found["Filter"] = {"Key": {"FilterRules": item.filters["S3Key"]["FilterRule"]}}
            return found

        self.data["Action"] = "GetBucketNotificationConfiguration"
        return self.serialized(ActionResult({
            "TopicConfigurations": [entry(t, "TopicArn") for t in config.topic],
            "QueueConfigurations": [entry(q, "QueueArn") for q in config.queue],
            "LambdaFunctionConfigurations": [entry(f, "LambdaFunctionArn") for f in config.cloud_function],
            "EventBridgeConfiguration": {},
        }))

    return get_bucket_notification


def register():
    FakeBucket._log_permissions_enabled_policy = staticmethod(_log_permissions_enabled_policy)
    S3Response.get_bucket_notification = _wrap_get_bucket_notification(S3Response.get_bucket_notification)
    for fn in (create_anomaly_monitor, get_anomaly_monitors, update_anomaly_monitor, delete_anomaly_monitor,
               create_anomaly_subscription, get_anomaly_subscriptions, update_anomaly_subscription,
               delete_anomaly_subscription):
        assert not hasattr(CostExplorerResponse, fn.__name__), f"moto now implements {fn.__name__}: drop the stub"
        setattr(CostExplorerResponse, fn.__name__, fn)
    for fn in (sso_list_tags_for_resource, sso_tag_resource, sso_untag_resource,
               describe_permission_set_provisioning_status):
        name = fn.__name__.removeprefix("sso_")
        assert not hasattr(SSOAdminResponse, name), f"moto now implements ssoadmin {name}: drop the stub"
        setattr(SSOAdminResponse, name, fn)
    for fn in (describe_subscribers_for_notification, budgets_list_tags_for_resource, budgets_tag_resource,
               budgets_untag_resource):
        name = fn.__name__.removeprefix("budgets_")
        assert not hasattr(BudgetsResponse, name), f"moto now implements budgets {name}: drop the stub"
        setattr(BudgetsResponse, name, fn)
    BudgetsResponse.create_budget = _wrap_create_budget(BudgetsResponse.create_budget)
