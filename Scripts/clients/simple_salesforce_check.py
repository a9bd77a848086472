"""simple-salesforce, unmodified, against `keyhole serve Examples/acme` (rest-api.md §5.5, §6.1).

The client is configured only through the environment of rest-api.md §5.5 (HTTPS_PROXY, NO_PROXY,
REQUESTS_CA_BUNDLE): it logs in to login.salesforce.com, which the proxy tunnel delivers to Keyhole, then
follows the instance URL Keyhole returns. Credentials are the example's keyhole.yaml `api:` section.

Exit 0 when every check passes; the first failing check raises with what was expected.
"""

import sys

from simple_salesforce import Salesforce
from simple_salesforce.exceptions import SalesforceMalformedRequest, SalesforceResourceNotFound

HUBSPOT = "hubspot.integration@acme.example"
ANALYTICS = "analytics.integration@acme.example"
FLAGGED_ACCOUNTS = {"Northwind Traders", "Globex Corporation", "Stark Logistics"}


def check(condition, message):
    if not condition:
        raise AssertionError(message)
    print(f"  ok: {message}")


def expect_invalid_field(sf, soql, field, entity):
    try:
        sf.query_all(soql)
    except SalesforceMalformedRequest as error:
        body = error.content[0]
        check(body["errorCode"] == "INVALID_FIELD", f"{soql!r} fails with INVALID_FIELD")
        check(
            f"No such column '{field}' on entity '{entity}'" in body["message"],
            f"the message names {field} as airbyte's regex expects",
        )
        return
    raise AssertionError(f"{soql!r} should fail with INVALID_FIELD")


def hubspot_soap():
    print("HubSpot user, SOAP login (simple-salesforce's default)")
    sf = Salesforce(username=HUBSPOT, password="example-password", security_token="")
    check(sf.session_id and "!" in sf.session_id, "SOAP login returned a session id")
    return sf


def hubspot_oauth():
    print("HubSpot user, OAuth password flow")
    sf = Salesforce(
        username=HUBSPOT,
        password="example-password",
        consumer_key="hubspot-connector",
        consumer_secret="example-secret",
    )
    check(sf.session_id, "OAuth password login returned an access token")
    return sf


def hubspot_reads(sf):
    names = [o["name"] for o in sf.describe()["sobjects"]]
    check(names == ["Account", "Contact"], f"describeGlobal lists only readable objects: {names}")
    fields = [f["name"] for f in sf.Account.describe()["fields"]]
    check("Name" in fields and "AnnualRevenue" not in fields, "Account describe omits fields HubSpot cannot read")
    check(all(not f["updateable"] for f in sf.Account.describe()["fields"]), "no field is updateable for HubSpot")

    result = sf.query_all("SELECT Id, Name, Send_to_HubSpot__c FROM Account")
    names = {r["Name"] for r in result["records"]}
    check(names == FLAGGED_ACCOUNTS, f"only flagged accounts come back: {sorted(names)}")
    check(all(r["Send_to_HubSpot__c"] is True for r in result["records"]), "every account is flagged")

    # HubSpot sees three accounts (one page); pagination is exercised by the analytics user below, who
    # may create the 250 extra accounts it needs (HubSpot has Read only).
    expect_invalid_field(sf, "SELECT Id, AnnualRevenue FROM Account", "AnnualRevenue", "Account")
    try:
        sf.Account.create({"Name": "Not allowed"})
        raise AssertionError("HubSpot must not create accounts")
    except Exception as error:  # simple-salesforce raises SalesforceRefusedRequest (403) or 400
        content = getattr(error, "content", [{}])
        check(content[0].get("errorCode") == "INSUFFICIENT_ACCESS_OR_READONLY", "create is refused for HubSpot")


def analytics():
    print("analytics user, OAuth password flow")
    sf = Salesforce(
        username=ANALYTICS,
        password="example-analytics-password",
        consumer_key="analytics-warehouse",
        consumer_secret="example-analytics-secret",
    )
    expect_invalid_field(sf, "SELECT Id, Annual_Revenue__c FROM Account", "Annual_Revenue__c", "Account")
    expect_invalid_field(sf, "SELECT Id, SSN__c FROM Contact", "SSN__c", "Contact")
    fields = [f["name"] for f in sf.Contact.describe()["fields"]]
    check("SSN__c" not in fields, "Contact describe hides SSN__c from the analytics user")

    # Create, update and delete a record the user may (Modify All Data, Create on Account).
    created = sf.Account.create({"Name": "Keyhole client check"})
    check(created["success"] and created["id"].startswith("001"), f"created {created['id']}")
    account_id = created["id"]
    status = sf.Account.update(account_id, {"Name": "Keyhole client check (renamed)"})
    check(status == 204, "update returned 204")
    check(sf.Account.get(account_id)["Name"] == "Keyhole client check (renamed)", "the update is read back")
    status = sf.Account.delete(account_id)
    check(status == 204, "delete returned 204")
    try:
        sf.Account.get(account_id)
        raise AssertionError("a deleted record must not be readable")
    except SalesforceResourceNotFound:
        check(True, "the deleted record is gone (404)")

    # Pagination over Account: 250 accounts created through the API, read back 200 per page.
    for n in range(250):
        sf.Account.create({"Name": f"Paging {n:03d}"})
    pages = {"Sforce-Query-Options": "batchSize=200"}
    first = sf.query("SELECT Id, Name FROM Account WHERE Name LIKE 'Paging%' ORDER BY Name", headers=pages)
    check(first["totalSize"] == 250 and not first["done"], "the first page says 250 rows and is not the last")
    check(first["nextRecordsUrl"].startswith("/services/data/v"), "nextRecordsUrl is a path")
    everything = sf.query_all("SELECT Id, Name FROM Account ORDER BY Name", headers=pages)
    check(len(everything["records"]) == 255, "query_all followed nextRecordsUrl to all 255 accounts")

    rows = list(sf.bulk2.Account.query("SELECT Id, Name FROM Account"))
    text = "".join(rows)
    check(text.startswith('"Id","Name"'), "Bulk 2.0 query returned CSV with the SELECT names")
    check("Umbrella Health" in text, "the analytics user (View All Data) sees every account in bulk")


def main():
    sf = hubspot_soap()
    hubspot_reads(sf)
    hubspot_reads(hubspot_oauth())
    analytics()
    print("simple-salesforce: all checks passed")


if __name__ == "__main__":
    try:
        main()
    except AssertionError as error:
        print(f"FAILED: {error}", file=sys.stderr)
        sys.exit(1)
