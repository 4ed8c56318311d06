"""Order-flow planning: the DAG of an order's service-order steps, what runs next and what undoes what."""

from engine.orderflow.plan import OrderPlan, PlanDiff, PlanItem, PlannedStep, amend, plan_order

__all__ = ["OrderPlan", "PlanDiff", "PlanItem", "PlannedStep", "amend", "plan_order"]
