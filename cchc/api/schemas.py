"""Shared response shapes. Every endpoint declares its errors so the OpenAPI document is complete."""

from ninja import Schema


class Error(Schema):
    detail: str


ERRORS = {400: Error, 401: Error, 403: Error, 404: Error, 422: Error}
