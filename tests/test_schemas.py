import pandas as pd
import pandera.pandas as pa
import pytest

from analysis import schemas


def test_string_columns_validate_as_pandera_string_columns_do():
    """schemas.STRING only answers pandera's dtype check at once: same dtypes, same failures."""
    frame = pd.DataFrame({"status": ["ok", None, "skipped"], "n": [1, None, 3]})
    ours = pa.DataFrameSchema({"status": pa.Column(schemas.STRING, nullable=True), "n": pa.Column("Int64", nullable=True)},
                              coerce=True)
    pandera = pa.DataFrameSchema({"status": pa.Column("string", nullable=True), "n": pa.Column("Int64", nullable=True)},
                                 coerce=True)
    pd.testing.assert_frame_equal(ours.validate(frame), pandera.validate(frame))
    with pytest.raises(pa.errors.SchemaError, match="non-nullable"):
        pa.DataFrameSchema({"status": pa.Column(schemas.STRING)}, coerce=True).validate(frame)
    with pytest.raises(pa.errors.SchemaError, match="maybe"):
        schemas.ARTICLES.select_columns(["status"]).validate(pd.DataFrame({"status": ["ok", "maybe"]}))
