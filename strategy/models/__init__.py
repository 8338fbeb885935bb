from .organisation import Membership, Organisation, Role, scope_q
from .plan import AnnualPlan, PlanComment, PlanItem, ProgressUpdate
from .strategy import (
    Action,
    Direction,
    FocusArea,
    Goal,
    Perspective,
    Section,
    SpearheadProgramme,
    StrategicChoice,
    Strategy,
    SustainableDevelopmentGoal,
    TargetState,
    TradeOff,
)

__all__ = [
    "Action",
    "AnnualPlan",
    "Direction",
    "FocusArea",
    "Goal",
    "Membership",
    "Organisation",
    "Perspective",
    "PlanComment",
    "PlanItem",
    "ProgressUpdate",
    "Role",
    "Section",
    "SpearheadProgramme",
    "StrategicChoice",
    "Strategy",
    "SustainableDevelopmentGoal",
    "TargetState",
    "TradeOff",
    "scope_q",
]
