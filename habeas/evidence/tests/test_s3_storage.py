"""Evidence in an S3-compatible bucket: the settings' own options against moto's S3 server on
loopback (a real HTTP server speaking the S3 API). The bucket holds sealed pieces only, the
file reads back whole, and it is deleted from the bucket with the case's personal data."""

import hashlib

import boto3
import pytest
from moto.server import ThreadedMotoServer

from habeas import settings as project_settings
from habeas.cases.services import forget_details
from habeas.evidence import services as evidence
from habeas.evidence.models import Evidence
from habeas.evidence.tests.test_uploads import PHOTO, declare, send
from habeas.notifications.tests.fixtures import free_port

ENV = {
    "HABEAS_EVIDENCE_S3_BUCKET": "habeas-evidence",
    "HABEAS_EVIDENCE_S3_REGION": "us-east-1",
    "HABEAS_EVIDENCE_S3_ACCESS_KEY": "test-access",
    "HABEAS_EVIDENCE_S3_SECRET_KEY": "test-secret",
}


@pytest.fixture
def bucket(settings):
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    env = {**ENV, "HABEAS_EVIDENCE_S3_ENDPOINT": f"http://127.0.0.1:{port}"}
    client = boto3.client(
        "s3",
        endpoint_url=env["HABEAS_EVIDENCE_S3_ENDPOINT"],
        region_name="us-east-1",
        aws_access_key_id="test-access",
        aws_secret_access_key="test-secret",
    )
    client.create_bucket(Bucket="habeas-evidence")
    settings.STORAGES = {
        **settings.STORAGES,
        "evidence": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": project_settings.evidence_s3_options(env),
        },
    }
    yield client
    server.stop()


def objects(client) -> dict[str, bytes]:
    listed = client.list_objects_v2(Bucket="habeas-evidence").get("Contents", [])
    return {
        o["Key"]: client.get_object(Bucket="habeas-evidence", Key=o["Key"])["Body"].read()
        for o in listed
    }


def test_a_file_goes_to_the_bucket_sealed_and_comes_back_whole(detainee, bucket):
    assert declare(detainee).status_code == 201
    receipt = send(detainee, PHOTO, 0).json()
    assert receipt["complete"] and receipt["sha256"] == hashlib.sha256(PHOTO).hexdigest()

    item = Evidence.objects.get()
    stored = objects(bucket)
    assert len(stored) == len(item.pieces) == 4
    assert all(key.startswith("evidence/") for key in stored), "under the settings' location"
    for blob in stored.values():
        assert blob.startswith(b"hb1.") and PHOTO[:64] not in blob
    assert b"".join(evidence.read(item)) == PHOTO

    forget_details(item.case_id)
    assert objects(bucket) == {}
