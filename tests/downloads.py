"""Reading a download in a test, whether it was streamed or sent whole."""


def download_body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def download_text(response) -> str:
    return download_body(response).decode("utf-8")
