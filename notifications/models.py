# Models arrive with the issue that builds this part of the cycle (see DESIGN.md section 4).
