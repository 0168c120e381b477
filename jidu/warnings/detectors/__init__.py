"""The four detectors. Each is ``detect(now, params) -> list[Finding]`` and reads only the database."""

from jidu.warnings.detectors import cluster, deadline, repeat, spike

DETECTORS = {
    "spike": spike.detect,
    "cluster": cluster.detect,
    "repeat_offender": repeat.detect,
    "deadline_risk": deadline.detect,
}
