from cchc.checker.services import check_document


def run(text: str, name: str = "bao-cao.txt"):
    return check_document(text.encode("utf-8"), name=name)


def checks_of(text: str, name: str = "bao-cao.txt") -> list[tuple[str, str]]:
    return [(f.severity, f.check) for f in run(text, name).findings]
