"""Spark sessions for running the linkage on Splink's Spark backend.

On a cluster, build the session as the cluster wants, adding Splink's similarity jar (the
Jaro-Winkler and Damerau-Levenshtein functions the model uses) to its class path::

    from splink.backends.spark import similarity_jar_location
    SparkSession.builder.config("spark.jars", similarity_jar_location())...

and pass it to ``PersonLinker(..., backend="spark", spark=session)``.

:func:`local_session` is a single-machine session (tests, the command line): it binds only
127.0.0.1, shows no web UI and takes the jar from the installed Splink package, so nothing is
downloaded at run time. Spark needs Java 17 or newer (``java`` on the PATH or ``JAVA_HOME``).
"""

from __future__ import annotations

import logging
import os
from typing import Any


def local_session(cores: int = 2, memory: str = "2g", app_name: str = "changemaker-insight") -> Any:
    """A local-mode Spark session with Splink's similarity functions registered."""
    from pyspark.sql import SparkSession
    from splink.backends.spark import similarity_jar_location

    # the driver and executors talk over loopback only
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    logging.getLogger("py4j").setLevel(logging.WARNING)  # no chatter from the Java bridge
    builder: Any = SparkSession.builder
    return (
        builder.master(f"local[{cores}]")
        .appName(app_name)
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.driver.memory", memory)
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", str(cores))
        .config("spark.default.parallelism", str(cores))
        .config("spark.sql.ansi.enabled", "false")
        .config("spark.jars", similarity_jar_location())
        .config("spark.jars.ivy", os.devnull)  # never resolve packages from a repository
        .getOrCreate()
    )
