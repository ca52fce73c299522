"""The actions of the annual evaluation (物业服务质量评价, seed 001) and who holds them: the community
enters the three score sheets and submits, the street gives its opinion, the housing department
(住建) that registered the company confirms — and keeps the complaints, 3+X mediations and
双随机一公开 inspections of its companies."""

from orgs.choices import Role
from orgs.scoping import SUBTREE, register_actions, register_holders_without_area

from .permissions import housing_departments

SCORE = "property.score"  # enter a score sheet of an evaluation (the community, for its three scorers)
SUBMIT_EVALUATION = "property.submit_evaluation"  # 社区上报
REVIEW_EVALUATION = "property.review_evaluation"  # 街道审核意见: approve with an opinion, or return
CONFIRM_EVALUATION = "property.confirm_evaluation"  # 住建确认 (or return): the company's housing department
SUPERVISE = "property.supervise"  # complaints, 3+X mediations, inspections: the housing department
CONFIGURE_EVALUATION = "property.configure_evaluation"  # the schemes: items, weights, thresholds

register_actions(
    {
        SCORE: {Role.COMMUNITY_CADRE: SUBTREE},
        SUBMIT_EVALUATION: {Role.COMMUNITY_CADRE: SUBTREE},
        REVIEW_EVALUATION: {Role.STREET_CADRE: SUBTREE},
        # Held by no role over an area: by the users of a housing department, over the evaluations,
        # complaints and inspections of the companies it registered (the models' scope hooks).
        CONFIRM_EVALUATION: {},
        SUPERVISE: {},
        CONFIGURE_EVALUATION: {},
    }
)

for _action in (CONFIRM_EVALUATION, SUPERVISE, CONFIGURE_EVALUATION):
    register_holders_without_area(_action, lambda user: bool(housing_departments(user)))
