"""The course's exercises, checked by the toolkit itself.

``check("03.2", answer)`` prints ``pass: <what was checked>`` or ``fail: <why>. Hint: ...``
(``None``, the notebooks' placeholder, is "not answered yet"); ``list()`` lists the exercises,
``list("03")`` those of notebook 03. Each notebook of ``notebooks/`` ends with its exercises;
the solutions are in ``notebooks/solutions/``.
"""

from ._src.teaching.exercise import Exercise as Exercise
from ._src.teaching.exercise import Result as Result
from ._src.teaching.exercises import check as check
from ._src.teaching.exercises import exercise as exercise
from ._src.teaching.exercises import exercise_list as list

__all__ = ["Exercise", "Result", "check", "exercise", "list"]
