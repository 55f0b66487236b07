"""The BPMN engine adapter: the only code in Yiwang that talks to SpiffWorkflow.

``definitions`` validates and parses uploaded BPMN files; ``runtime`` starts workflows,
lists and completes user tasks, runs service tasks through registered handlers, fires
timers and turns workflow state into JSON (and back) for the database.
"""
