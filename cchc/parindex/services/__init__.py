"""Ghi: the writes of the PAR index, one module per responsibility.

- ``assessment``: tự đánh giá và thẩm định — opening an assessment, scores, evidence, submit, return,
  finalise; the announcement of a set's results.
- ``score_import``: nạp điểm from a CSV file of units assessed elsewhere.
- ``remediation``: kế hoạch khắc phục — the plan, its tasks and their mirror in the plans app, the reminder,
  the sign-off.

Every write checks scope, validates, and writes its audit row in the same transaction. Callers use this
package (``services.save_score``, ``from cchc.parindex.services import remediation_task_saved``) and need not
know which module holds a write.
"""

from cchc.parindex.services.assessment import (
    REVIEW_FIELDS,
    SELF_FIELDS,
    add_evidence,
    announce,
    can_review,
    finalise,
    remove_evidence,
    return_for_explanation,
    save_score,
    start_assessment,
    submission_problems,
    submit,
)
from cchc.parindex.services.remediation import (
    TASK_FIELDS,
    ensure_plan,
    issue_plan_number,
    register_approval_kind,
    remediation_task_saved,
    remind_plan,
    request_plan_approval,
    sync_task_from_plans,
    update_plan,
    update_task,
)
from cchc.parindex.services.score_import import IMPORT_COLUMNS, import_scores

__all__ = [
    "IMPORT_COLUMNS",
    "REVIEW_FIELDS",
    "SELF_FIELDS",
    "TASK_FIELDS",
    "add_evidence",
    "announce",
    "can_review",
    "ensure_plan",
    "finalise",
    "import_scores",
    "issue_plan_number",
    "register_approval_kind",
    "remediation_task_saved",
    "remind_plan",
    "remove_evidence",
    "request_plan_approval",
    "return_for_explanation",
    "save_score",
    "start_assessment",
    "submission_problems",
    "submit",
    "sync_task_from_plans",
    "update_plan",
    "update_task",
]
