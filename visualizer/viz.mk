# visualizer/viz.mk - keel-viz, the SDL2 scheduling-trace viewer (issue 8).
# Included by the top-level Makefile. (Placeholder until the viewer lands.)
