"""The S3-compatible object store (AWS S3, MinIO, Ceph …) through boto3: credentials and
region come from boto3's own settings (``AWS_ACCESS_KEY_ID``, ``AWS_SECRET_ACCESS_KEY``,
``AWS_DEFAULT_REGION`` or an instance role). A PUT is whole or nothing by itself."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from portal.files.models import CHUNK_SIZE


class S3Store:
    def __init__(self, bucket: str, *, endpoint_url: str | None = None, prefix: str = "") -> None:
        import boto3

        self.bucket = bucket
        self.prefix = prefix.strip("/") + "/" if prefix.strip("/") else ""
        self.client = boto3.client("s3", endpoint_url=endpoint_url)

    def _key(self, key: str) -> str:
        return self.prefix + key

    def put(self, key: str, data: bytes) -> None:
        self.client.put_object(Bucket=self.bucket, Key=self._key(key), Body=data)

    def exists(self, key: str) -> bool:
        from botocore.exceptions import ClientError

        try:
            self.client.head_object(Bucket=self.bucket, Key=self._key(key))
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return False
            raise
        return True

    def chunks(self, key: str) -> Iterator[bytes]:
        from botocore.exceptions import ClientError

        try:
            body = self.client.get_object(Bucket=self.bucket, Key=self._key(key))["Body"]
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in ("404", "NoSuchKey"):
                raise FileNotFoundError(key) from error
            raise
        return body.iter_chunks(CHUNK_SIZE)

    def delete(self, key: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=self._key(key))

    def delete_older(self, prefix: str, before: datetime) -> int:
        removed = 0
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, Prefix=self._key(prefix)
        )
        for page in pages:
            old = [
                {"Key": item["Key"]}
                for item in page.get("Contents", [])
                if item["LastModified"] < before
            ]
            if old:
                self.client.delete_objects(Bucket=self.bucket, Delete={"Objects": old})
                removed += len(old)
        return removed
