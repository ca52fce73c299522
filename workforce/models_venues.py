"""(to be declared)"""
