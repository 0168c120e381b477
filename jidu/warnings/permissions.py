"""Role defaults of the warnings app (merged by jidu.org.roles.role_defaults()).

Department handlers see the warnings copied to their department, acknowledge and follow them up;
leaders see every warning and may acknowledge (阅知) but not follow up or close; supervisors see,
handle, close, and may run the detectors at once; dispatchers see them (city-wide, read only)."""

ROLE_PERMISSIONS = {
    "supervisor": ["warnings.view_warning", "warnings.acknowledge_warning", "warnings.follow_up_warning",
                   "warnings.close_warning", "warnings.run_detectors", "warnings.view_detectorconfig"],
    "handler": ["warnings.view_warning", "warnings.acknowledge_warning", "warnings.follow_up_warning"],
    "leader": ["warnings.view_warning", "warnings.acknowledge_warning"],
    "dispatcher": ["warnings.view_warning"],
}
